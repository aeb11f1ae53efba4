import {usageError} from '../errors/index.js';
import {createBalancer, parseStrategy} from './catalog.js';
import {hashKey} from './hash.js';
import {seededRandom} from './random.js';
import {spread} from './simulator/stats.js';
import type {Endpoint} from './types.js';

export interface KeysInput {
  /** One strategy spec, e.g. "ring:vnodes=100". */
  strategy: string;
  /** A count ("10": b1..b10) or names with optional weights ("a,b=2,c"). */
  backends: string;
  keys: number;
  /** Backends to add: a count (named on from the list) or names. */
  add?: string;
  /** Backends to remove: a count (the last ones) or names. */
  remove?: string;
  seed?: number;
}

export interface KeyShare {
  id: string;
  weight: number;
  keys: number;
  share: number;
}

export interface KeyDistribution {
  backends: KeyShare[];
  /** Keys per backend: max / mean and coefficient of variation. */
  maxOverMean: number;
  cv: number;
}

export interface KeysReport {
  strategy: string;
  keys: number;
  before: KeyDistribution;
  change?: {
    kind: 'add' | 'remove';
    backends: string[];
    after: KeyDistribution;
    /** Keys whose backend changed. */
    moved: number;
    movedFraction: number;
    /** The least any strategy must move: the removed backends' keys, or the added backends' fair share. */
    minimalFraction: number;
  };
}

function parseList(text: string, what: string): Endpoint[] {
  const out = text.split(',').map((s) => s.trim()).filter(Boolean).map((item) => {
    const [id, w] = item.split('=');
    const weight = w === undefined ? 1 : Number(w);
    if (!/^[A-Za-z0-9_.-]+$/.test(id) || !(weight > 0 && Number.isFinite(weight))) throw usageError(`${what}: '${item}' is not NAME or NAME=WEIGHT`, 'e.g. 10, or a,b=2,c');
    return {id, weight};
  });
  if (out.length === 0) throw usageError(`${what} is empty`, 'give a count (10) or names (a,b,c)');
  return out;
}

function count(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

function distribution(eps: readonly Endpoint[], owners: Int32Array): KeyDistribution {
  const counts = new Array<number>(eps.length).fill(0);
  for (const o of owners) counts[o]++;
  const {maxOverMean, cv} = spread(counts);
  return {backends: eps.map((e, i) => ({id: e.id, weight: e.weight, keys: counts[i], share: counts[i] / owners.length})), maxOverMean, cv};
}

/**
 * `dial lb keys`: maps keys key-0..key-(K-1) with one strategy, shows how
 * evenly they spread, and how many move when backends are added or removed.
 */
export function analyzeKeys(input: KeysInput): KeysReport {
  const spec = parseStrategy(input.strategy);
  if (!(Number.isInteger(input.keys) && input.keys >= 1 && input.keys <= 10_000_000)) throw usageError(`--keys ${input.keys}: want 1..10000000`);
  const n = count(input.backends);
  if (n !== undefined && (n < 1 || n > 10_000)) throw usageError(`--backends ${n}: want 1..10000`);
  const before: Endpoint[] = n !== undefined ? Array.from({length: n}, (_, i) => ({id: `b${i + 1}`, weight: 1})) : parseList(input.backends, '--backends');
  if (new Set(before.map((e) => e.id)).size !== before.length) throw usageError('--backends names a backend twice');
  if (input.add && input.remove) throw usageError('give --add or --remove, not both');
  const hashes = Uint32Array.from({length: input.keys}, (_, k) => hashKey(`key-${k}`));
  const assign = (eps: readonly Endpoint[]) => {
    const b = createBalancer(spec, eps, {random: seededRandom(input.seed ?? 1)});
    const index = new Map(eps.map((e, i) => [e.id, i]));
    const owners = new Int32Array(hashes.length);
    for (let k = 0; k < hashes.length; k++) owners[k] = index.get(b.pick({hash: hashes[k]}).id)!;
    return owners;
  };
  const ownersBefore = assign(before);
  const report: KeysReport = {strategy: spec.label, keys: input.keys, before: distribution(before, ownersBefore)};
  if (!input.add && !input.remove) return report;
  let after: Endpoint[];
  let changed: Endpoint[];
  if (input.add) {
    const a = count(input.add);
    changed = a !== undefined ? Array.from({length: a}, (_, i) => ({id: `b${before.length + i + 1}`, weight: 1})) : parseList(input.add, '--add');
    if (changed.length === 0) throw usageError('--add 0 adds nothing');
    const clash = changed.find((c) => before.some((e) => e.id === c.id));
    if (clash) throw usageError(`--add: '${clash.id}' is already a backend`);
    after = [...before, ...changed];
  } else {
    const r = count(input.remove!);
    if (r !== undefined && !(r >= 1 && r < before.length)) throw usageError(`--remove ${input.remove}: remove 1..${before.length - 1} backends`);
    changed = r !== undefined ? before.slice(before.length - r) : parseList(input.remove!, '--remove');
    const unknown = changed.find((c) => !before.some((e) => e.id === c.id));
    if (unknown) throw usageError(`--remove: '${unknown.id}' is not a backend`, `backends: ${before.map((e) => e.id).join(', ')}`);
    after = before.filter((e) => !changed.some((c) => c.id === e.id));
    if (changed.length === 0 || after.length === 0) throw usageError(`--remove ${input.remove}: remove 1..${before.length - 1} backends`);
  }
  const ownersAfter = assign(after);
  let moved = 0;
  for (let k = 0; k < hashes.length; k++) if (before[ownersBefore[k]].id !== after[ownersAfter[k]].id) moved++;
  const removedIds = new Set(changed.map((c) => c.id));
  const minimal = input.add
    ? changed.reduce((a, c) => a + c.weight, 0) / after.reduce((a, c) => a + c.weight, 0)
    : ownersBefore.reduce((a, o) => a + (removedIds.has(before[o].id) ? 1 : 0), 0) / hashes.length;
  report.change = {
    kind: input.add ? 'add' : 'remove', backends: changed.map((c) => c.id), after: distribution(after, ownersAfter),
    moved, movedFraction: moved / hashes.length, minimalFraction: minimal,
  };
  return report;
}
