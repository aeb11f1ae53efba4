import {usageError} from '../errors/index.js';
import {parseDuration} from '../util/index.js';
import {COORDINATOR} from './bank.js';
import {parseCrash, type CrashSpec} from './crash-points.js';
import type {DropReason} from './events.js';
import {MSG_TYPES, type Msg, type Pid} from './types.js';

/** Which messages a rule applies to: FROM->TO:TYPE, each part may be '*'. */
export interface MsgMatch {
  from: Pid | '*';
  to: Pid | '*';
  type: string;
}

export interface DropRule extends MsgMatch {
  /** Drop only the first `count` matching messages (default: all). */
  count?: number;
}

export interface DelayRule extends MsgMatch {
  minMs: number;
  maxMs: number;
}

export interface PartitionSpec {
  groups: Pid[][];
  /** When it starts: at a crash-point-like WHO:POINT, or after ms; default at once. */
  at?: {point: CrashSpec} | {ms: number};
}

/** The faults of one run, as the flags give them; shared by the simulator and the real processes. */
export interface Faults {
  crash: CrashSpec[];
  voteNo: Pid[];
  drop: DropRule[];
  delay: DelayRule[];
  partition?: PartitionSpec;
  /** Probability (0..1) that any message is lost. */
  loss?: number;
}

export const NO_FAULTS: Faults = {crash: [], voteNo: [], drop: [], delay: []};

function parseMatch(flag: string, text: string, processes: Pid[]): MsgMatch {
  let from = '*';
  let to = '*';
  let type = text.trim();
  const m = /^([\w*]+)->([\w*]+):(.+)$/.exec(type);
  if (m) [, from, to, type] = m;
  for (const p of [from, to]) {
    if (p !== '*' && !processes.includes(p)) throw usageError(`--${flag}: no process '${p}' in '${text}'`, `the processes are ${processes.join(', ')}`);
  }
  type = type.toUpperCase();
  if (type !== '*' && !(MSG_TYPES as string[]).includes(type)) {
    throw usageError(`--${flag}: '${type}' is not a message type`, `types: ${MSG_TYPES.join(', ')} (or *)`);
  }
  return {from, to, type};
}

function ms(flag: string, text: string): number {
  const v = /^\d+(\.\d+)?$/.test(text) ? Number(text) : parseDuration(text);
  if (v === undefined || !Number.isFinite(v)) throw usageError(`--${flag}: '${text}' is not a time`, 'write it like 200, 200ms or 1.5s (a bare number is milliseconds)');
  return v;
}

/** --drop [FROM->TO:]TYPE[#COUNT] */
export function parseDrop(text: string, processes: Pid[]): DropRule {
  const [body, count] = text.split('#');
  const rule: DropRule = parseMatch('drop', body, processes);
  if (count !== undefined) {
    if (!/^\d+$/.test(count) || Number(count) < 1) throw usageError(`--drop: '#${count}' is not a count`, "write 'COMMIT#1' to drop only the first COMMIT");
    rule.count = Number(count);
  }
  return rule;
}

/** --delay [FROM->TO:]TYPE:MS[-MS] */
export function parseDelay(text: string, processes: Pid[]): DelayRule {
  const i = text.lastIndexOf(':');
  if (i < 0) throw usageError(`--delay: '${text}' is not MSG:MS`, "write it like 'VOTE:300' or 'c->p2:COMMIT:100-400'");
  const [lo, hi] = text.slice(i + 1).split('-');
  const minMs = ms('delay', lo);
  const maxMs = hi === undefined ? minMs : ms('delay', hi);
  if (maxMs < minMs) throw usageError(`--delay: range '${text.slice(i + 1)}' runs backwards`);
  return {...parseMatch('delay', text.slice(0, i), processes), minMs, maxMs};
}

/** --partition 'c,p1|p2,p3[@WHO:POINT|@MS]'; processes not named join the first group. */
export function parsePartition(text: string, participants: Pid[]): PartitionSpec {
  const processes = [COORDINATOR, ...participants];
  const [body, when] = text.split('@');
  const groups = body.split('|').map((g) => g.split(',').map((s) => (s.trim() === 'coordinator' ? COORDINATOR : s.trim())).filter(Boolean));
  if (groups.length < 2 || groups.some((g) => g.length === 0)) {
    throw usageError(`--partition: '${text}' needs at least two groups`, "write it like 'c,p1|p2,p3' (optionally '@c:partial-precommit' or '@200ms' for when it starts)");
  }
  const named = groups.flat();
  for (const p of named) if (!processes.includes(p)) throw usageError(`--partition: no process '${p}'`, `the processes are ${processes.join(', ')}`);
  if (new Set(named).size !== named.length) throw usageError(`--partition: a process is in two groups in '${text}'`);
  for (const p of processes) if (!named.includes(p)) groups[0].push(p);
  if (when === undefined) return {groups};
  if (/^[\d.]+(ms|s)?$/.test(when)) return {groups, at: {ms: ms('partition', when)}};
  return {groups, at: {point: parseCrash(when, participants)}};
}

/** Is the link between a and b cut by the partition? */
export function cut(groups: Pid[][], a: Pid, b: Pid): boolean {
  const ga = groups.findIndex((g) => g.includes(a));
  const gb = groups.findIndex((g) => g.includes(b));
  return ga !== gb;
}

function matches(r: MsgMatch, from: Pid, to: Pid, msg: Msg): boolean {
  return (r.from === '*' || r.from === from) && (r.to === '*' || r.to === to) && (r.type === '*' || r.type === msg.type);
}

/**
 * Decides the fate of one message under the faults: dropped (and why) or
 * delivered after a delay. `random` gives floats in [0, 1); `dropped`
 * counts matches per drop rule (for #COUNT) and is updated.
 */
export function route(
  faults: Faults,
  state: {partitioned: boolean; dropped: number[]},
  from: Pid,
  to: Pid,
  msg: Msg,
  random: () => number,
): {deliver: false; reason: DropReason} | {deliver: true; delayMs: number} {
  if (state.partitioned && faults.partition && cut(faults.partition.groups, from, to)) return {deliver: false, reason: 'partition'};
  for (const [i, r] of faults.drop.entries()) {
    if (!matches(r, from, to, msg)) continue;
    if (r.count === undefined || (state.dropped[i] ?? 0) < r.count) {
      state.dropped[i] = (state.dropped[i] ?? 0) + 1;
      return {deliver: false, reason: 'drop rule'};
    }
  }
  if (faults.loss && random() < faults.loss) return {deliver: false, reason: 'loss'};
  let delayMs = 0;
  for (const r of faults.delay) if (matches(r, from, to, msg)) delayMs += r.minMs + (r.maxMs - r.minMs) * random();
  return {deliver: true, delayMs: Math.round(delayMs * 10) / 10};
}
