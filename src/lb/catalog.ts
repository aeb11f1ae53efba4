import {usageError} from '../errors/index.js';
import {didYouMean, parseDuration} from '../util/index.js';
import type {BaseBalancer} from './base.js';
import {
  BoundedLoad, HashMod, LeastConnections, LeastResponseTime, Maglev, PeakEwma, PowerOfTwo, RandomPick, Rendezvous, Ring, RoundRobin,
  WeightedRandom, WeightedRoundRobin,
} from './strategies/index.js';
import type {BalancerOptions, Endpoint} from './types.js';

/** A tunable of a strategy, written NAME:key=value on the command line. */
interface Param {
  key: string;
  option: keyof BalancerOptions;
  description: string;
  parse: (text: string) => number | undefined;
}

export interface StrategyInfo {
  name: string;
  aliases: string[];
  /** static: decided by the request (or order) alone; dynamic: reacts to load and latency. */
  kind: 'static' | 'dynamic';
  /** Routes by request key (hashing strategies). */
  keyed: boolean;
  summary: string;
  params: Param[];
  create: (opts: BalancerOptions) => BaseBalancer<Endpoint>;
}

const num = (min: number, integer = false) => (t: string) => {
  const v = Number(t);
  return Number.isFinite(v) && v >= min && (!integer || Number.isInteger(v)) ? v : undefined;
};
const vnodes: Param = {key: 'vnodes', option: 'vnodes', description: 'virtual nodes per endpoint (default 160)', parse: num(1, true)};

/** Every strategy dial knows, in the order reports list them. */
export const STRATEGIES: StrategyInfo[] = [
  {name: 'round-robin', aliases: ['rr'], kind: 'static', keyed: false, summary: 'each endpoint in turn', params: [], create: (o) => new RoundRobin(o)},
  {name: 'weighted-round-robin', aliases: ['wrr', 'smooth-wrr'], kind: 'static', keyed: false, summary: "in turn by weight, interleaved (nginx's smooth WRR)", params: [], create: (o) => new WeightedRoundRobin(o)},
  {name: 'random', aliases: [], kind: 'static', keyed: false, summary: 'uniform random', params: [], create: (o) => new RandomPick(o)},
  {name: 'weighted-random', aliases: ['wrandom'], kind: 'static', keyed: false, summary: 'random in proportion to weight (alias method)', params: [], create: (o) => new WeightedRandom(o)},
  {name: 'hash', aliases: ['ip-hash', 'mod-hash'], kind: 'static', keyed: true, summary: 'key (or source IP) hash modulo N', params: [], create: (o) => new HashMod(o)},
  {name: 'ring', aliases: ['ketama', 'consistent-hash'], kind: 'static', keyed: true, summary: 'consistent hash ring with virtual nodes (ketama)', params: [vnodes], create: (o) => new Ring(o)},
  {name: 'maglev', aliases: [], kind: 'static', keyed: true, summary: "Maglev lookup table (Google's L4 balancer)", params: [{key: 'table', option: 'tableSize', description: 'table size, a prime (default 65537)', parse: num(2, true)}], create: (o) => new Maglev(o)},
  {name: 'bounded-load', aliases: ['chwbl', 'bounded'], kind: 'dynamic', keyed: true, summary: 'consistent hashing with bounded loads (factor c)', params: [{key: 'c', option: 'loadFactor', description: 'load bound factor > 1 (default 1.25)', parse: (t) => { const v = Number(t); return v > 1 && Number.isFinite(v) ? v : undefined; }}, vnodes], create: (o) => new BoundedLoad(o)},
  {name: 'rendezvous', aliases: ['hrw'], kind: 'static', keyed: true, summary: 'highest random weight hashing', params: [], create: (o) => new Rendezvous(o)},
  {name: 'least-connections', aliases: ['least-conn', 'lc', 'jsq'], kind: 'dynamic', keyed: false, summary: 'fewest outstanding requests per weight (join the shortest queue)', params: [], create: (o) => new LeastConnections(o)},
  {name: 'p2c', aliases: ['least-request', 'power-of-two'], kind: 'dynamic', keyed: false, summary: 'the less loaded of two random endpoints', params: [], create: (o) => new PowerOfTwo(o)},
  {name: 'peak-ewma', aliases: ['ewma'], kind: 'dynamic', keyed: false, summary: 'P2C on peak-sensitive latency EWMA x load (Finagle, Linkerd)', params: [{key: 'decay', option: 'decayMs', description: 'decay time, e.g. 10s (default)', parse: (t) => { const v = parseDuration(t); return v !== undefined && v > 0 ? v : undefined; }}], create: (o) => new PeakEwma(o)},
  {name: 'least-response-time', aliases: ['lrt', 'least-time'], kind: 'dynamic', keyed: false, summary: 'lowest average response time x (outstanding + 1)', params: [{key: 'alpha', option: 'alpha', description: 'EWMA weight of a new sample, 0..1 (default 0.2)', parse: (t) => { const v = Number(t); return v > 0 && v <= 1 ? v : undefined; }}], create: (o) => new LeastResponseTime(o)},
];

/** A strategy with its tunables, as parsed from NAME[:key=value...], e.g. "ring:vnodes=40". */
export interface StrategySpec {
  info: StrategyInfo;
  options: Partial<BalancerOptions>;
  /** The canonical spec text, e.g. "ring:vnodes=40" or "p2c". */
  label: string;
}

export function findStrategy(name: string): StrategyInfo | undefined {
  const n = name.trim().toLowerCase();
  return STRATEGIES.find((s) => s.name === n || s.aliases.includes(n));
}

export function parseStrategy(text: string): StrategySpec {
  const [name, ...params] = text.trim().split(':');
  const info = findStrategy(name);
  if (!info) {
    throw usageError(`unknown strategy '${name}'${didYouMean(name, STRATEGIES.flatMap((s) => [s.name, ...s.aliases]))}`, `strategies: ${STRATEGIES.map((s) => s.name).join(', ')} (see dial lb strategies)`);
  }
  const options: Partial<BalancerOptions> = {};
  const parts: string[] = [];
  for (const p of params) {
    const [k, v] = p.split('=');
    const param = info.params.find((x) => x.key === k);
    if (!param) {
      throw usageError(`strategy ${info.name} has no parameter '${k}'`, info.params.length ? `its parameters: ${info.params.map((x) => `${x.key} (${x.description})`).join(', ')}` : `${info.name} takes no parameters`);
    }
    const value = v === undefined ? undefined : param.parse(v);
    if (value === undefined) throw usageError(`${info.name}:${p}: bad value`, `${param.key} is the ${param.description}`);
    (options as Record<string, number>)[param.option] = value;
    parts.push(`${k}=${v}`);
  }
  return {info, options, label: [info.name, ...parts].join(':')};
}

/** Expands a --strategy value: "all", or a comma-separated list of specs. */
export function parseStrategies(text: string): StrategySpec[] {
  if (text.trim().toLowerCase() === 'all') return STRATEGIES.map((info) => ({info, options: {}, label: info.name}));
  const specs = text.split(',').map((s) => s.trim()).filter(Boolean).map(parseStrategy);
  if (specs.length === 0) throw usageError('no strategy given', "name one (e.g. p2c), several (p2c,random) or 'all'");
  return specs;
}

/** A balancer for a spec (text or parsed) with the endpoints given. */
export function createBalancer<E extends Endpoint>(spec: string | StrategySpec, endpoints: readonly E[], opts: BalancerOptions = {}): BaseBalancer<E> {
  const s = typeof spec === 'string' ? parseStrategy(spec) : spec;
  const b = s.info.create({...opts, ...s.options}) as unknown as BaseBalancer<E>;
  b.update(endpoints);
  return b;
}
