import {usageError} from '../../errors/index.js';
import {parseStrategies, type StrategySpec} from '../catalog.js';
import {parseBackends} from './backends.js';
import {arrivalRate, capacity, simulateStrategy} from './engine.js';
import {findScenario} from './scenarios.js';
import type {ArrivalSpec, BackendSpec, MembershipTime, SimConfig, StrategyResult} from './types.js';

/** What `dial lb simulate` takes; explicit values override the scenario's. */
export interface SimulateInput {
  scenario?: string;
  backends?: string;
  strategies?: string;
  requests?: number;
  /** Requests per second (a number, or the flag's text). */
  rate?: number | string;
  /** Fraction of capacity: 0.8 or "80%". */
  utilization?: number | string;
  /** Closed loop: this many clients, each sending its next request when the reply comes. */
  clients?: number;
  arrival?: 'poisson' | 'constant';
  keys?: number;
  zipf?: number | string;
  seed?: number;
}

/** A decimal from a number or a flag's text ("0.8", "80%"); undefined when absent. */
function decimal(name: string, v: number | string | undefined): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  const t = v.trim();
  const n = Number(t.replace(/%$/, ''));
  if (t === '' || !Number.isFinite(n)) throw usageError(`--${name}: '${v}' is not a number`);
  return t.endsWith('%') ? n / 100 : n;
}

/** A backend as reports show it (JSON-safe: no Infinity). */
export interface BackendSummary {
  id: string;
  weight: number;
  service: BackendSpec['service'];
  concurrency: number;
  queueLimit: number | null;
  errorRate: number;
  join?: MembershipTime;
  leave?: MembershipTime;
}

export interface SimulationReport {
  scenario?: string;
  description?: string;
  seed: number;
  requests: number;
  arrival: ArrivalSpec & {rate?: number};
  /** Requests per second the starting backends can serve. */
  capacity: number;
  keys: SimConfig['keys'];
  backends: BackendSummary[];
  results: StrategyResult[];
  /** Strategy labels, best first: by error rate, then p99, then mean latency. */
  ranking: string[];
}

/** Turns flags (and a scenario) into a simulation config. */
export function buildSimConfig(raw: SimulateInput): {config: SimConfig; scenario?: ReturnType<typeof findScenario>} {
  const input = {...raw, rate: decimal('rate', raw.rate), utilization: decimal('utilization', raw.utilization), zipf: decimal('zipf', raw.zipf)};
  const scenario = input.scenario ? findScenario(input.scenario) : undefined;
  if (!scenario && !input.backends) throw usageError('say what to simulate: --scenario NAME or --backends SPEC', "e.g. --scenario slow-backend, or --backends 'a:lat=10ms;b:lat=40ms'");
  const backends = parseBackends(input.backends ?? scenario!.backends);
  const requests = input.requests ?? 100_000;
  if (!(Number.isInteger(requests) && requests >= 1 && requests <= 20_000_000)) throw usageError(`--requests ${requests}: want 1..20000000`);
  if (input.rate !== undefined && input.utilization !== undefined) throw usageError('give --rate or --utilization, not both');
  if (input.clients !== undefined && (input.rate !== undefined || input.utilization !== undefined)) throw usageError('--clients is a closed loop: it takes no --rate or --utilization');
  if (input.rate !== undefined && !(input.rate > 0)) throw usageError(`--rate ${input.rate}: want requests per second > 0`);
  if (input.utilization !== undefined && !(input.utilization > 0 && input.utilization <= 10)) throw usageError(`--utilization ${input.utilization}: want a load factor such as 0.8 (0..10)`);
  let arrival: ArrivalSpec;
  if (input.clients !== undefined) {
    if (!(Number.isInteger(input.clients) && input.clients >= 1)) throw usageError(`--clients ${input.clients}: want a positive integer`);
    arrival = {kind: 'closed', clients: input.clients};
  } else {
    const base = scenario?.arrival.kind !== 'closed' ? scenario?.arrival : undefined;
    const kind = input.arrival ?? base?.kind ?? 'poisson';
    arrival = input.rate !== undefined ? {kind, rate: input.rate} : {kind, utilization: input.utilization ?? base?.utilization ?? 0.8};
  }
  const keys = {count: input.keys ?? scenario?.keys.count ?? 10_000, zipf: input.zipf ?? scenario?.keys.zipf ?? 0};
  if (!(Number.isInteger(keys.count) && keys.count >= 1 && keys.count <= 10_000_000)) throw usageError(`--keys ${keys.count}: want 1..10000000`);
  if (!(keys.zipf >= 0 && keys.zipf <= 10)) throw usageError(`--zipf ${keys.zipf}: want an exponent 0..10 (0 = uniform)`);
  const config: SimConfig = {backends, requests, arrival, keys, seed: input.seed ?? 1};
  if (config.arrival.kind !== 'closed' && capacity(config) === 0) throw usageError('no backend is there at the start');
  return {config, scenario};
}

/** Ranks results: fewest errors first (to 0.1%), then lowest p99, then lowest mean. */
export function rank(results: StrategyResult[]): string[] {
  const key = (r: StrategyResult) => [Math.round(r.errorRate * 1000), r.latency.p99, r.latency.mean];
  return [...results].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  }).map((r) => r.strategy);
}

/** Runs every strategy through the same workload (same seed, same requests) and ranks them. */
export function runSimulation(config: SimConfig, strategies: StrategySpec[] | string, meta: {scenario?: string; description?: string} = {}, onResult?: (r: StrategyResult, n: number, of: number) => void): SimulationReport {
  const specs = typeof strategies === 'string' ? parseStrategies(strategies) : strategies;
  const results = specs.map((s, n) => {
    const r = simulateStrategy(config, s);
    onResult?.(r, n + 1, specs.length);
    return r;
  });
  const rate = arrivalRate(config);
  return {
    ...meta,
    seed: config.seed,
    requests: config.requests,
    arrival: {...config.arrival, ...(rate ? {rate} : {})},
    capacity: capacity(config),
    keys: config.keys,
    backends: config.backends.map((b) => ({
      id: b.id, weight: b.weight, service: b.service, concurrency: b.concurrency,
      queueLimit: Number.isFinite(b.queueLimit) ? b.queueLimit : null, errorRate: b.errorRate,
      ...(b.joinAt ? {join: b.joinAt} : {}), ...(b.leaveAt ? {leave: b.leaveAt} : {}),
    })),
    results,
    ranking: rank(results),
  };
}
