import {parseStrategies} from '../catalog.js';
import {simulateStrategy} from '../simulator/engine.js';
import type {BackendSpec} from '../simulator/types.js';
import {runLoad} from './load.js';
import type {LoadOptions, LoadReport} from './types.js';

/** Faults the daemon reports per instance id (dial instance list). */
export interface InstanceFaults {
  latencyMs: number;
  errorRate: number;
}

export interface CompareOptions extends Omit<LoadOptions, 'strategy' | 'durationMs'> {
  /** Strategies, as for `dial lb simulate --strategy`. */
  strategies: string;
  faults: Map<string, InstanceFaults>;
}

export interface CompareRow {
  strategy: string;
  instance: string;
  /** Added latency and error rate injected into the instance. */
  faults: InstanceFaults;
  real: {share: number; meanMs: number};
  predicted: {share: number; meanMs: number};
}

export interface CompareReport {
  target: string;
  method: string;
  requests: number;
  concurrency: number;
  /** Latency of a call to an instance without faults, measured first (ms). */
  baseMs: number;
  rows: CompareRow[];
  totals: {strategy: string; real: {rps: number; meanMs: number; p99Ms: number; errorRate: number}; predicted: {rps: number; meanMs: number; p99Ms: number; errorRate: number}}[];
}

/**
 * `dial lb compare-real`: measures the base latency of the instances, runs
 * each strategy for real, and simulates the same setup (a closed loop of
 * `concurrency` clients; each instance answers after base + its injected
 * latency, fails at its injected rate, and serves requests in parallel as a
 * Node server does), so predicted and real shares and latency sit side by side.
 */
export async function compareReal(opts: CompareOptions): Promise<CompareReport> {
  const specs = parseStrategies(opts.strategies);
  const requests = opts.requests ?? 1000;
  const concurrency = opts.concurrency ?? 16;
  const calibration = await runLoad({...opts, strategy: 'round-robin', requests: Math.min(requests, 300), concurrency, retries: 0});
  const healthy = calibration.instances.filter((i) => !(opts.faults.get(i.id)?.latencyMs ?? 0) && i.ok > 0);
  const base = median((healthy.length ? healthy : calibration.instances).map((i) => Math.max(0.05, i.latency.p50 - (opts.faults.get(i.id)?.latencyMs ?? 0))));
  const rows: CompareRow[] = [];
  const totals: CompareReport['totals'] = [];
  let last: LoadReport = calibration;
  for (const spec of specs) {
    const real = await runLoad({...opts, strategy: spec.label, requests, concurrency});
    last = real;
    const backends: BackendSpec[] = real.instances.map((i) => {
      const f = opts.faults.get(i.id) ?? {latencyMs: 0, errorRate: 0};
      return {
        id: i.id, weight: i.weight, service: {kind: 'const', meanMs: base + f.latencyMs}, concurrency: concurrency + 1, queueLimit: Infinity,
        errorRate: f.errorRate, errorMs: base + f.latencyMs,
      };
    });
    const sim = simulateStrategy({backends, requests, arrival: {kind: 'closed', clients: concurrency}, keys: {count: 1, zipf: 0}, seed: opts.seed ?? 1}, spec);
    for (const i of real.instances) {
      const p = sim.backends.find((b) => b.id === i.id)!;
      rows.push({
        strategy: spec.label, instance: i.id, faults: opts.faults.get(i.id) ?? {latencyMs: 0, errorRate: 0},
        real: {share: i.share, meanMs: i.latency.mean},
        predicted: {share: p.share, meanMs: p.ok ? (p.meanLatencyMs) : NaN},
      });
    }
    totals.push({
      strategy: spec.label,
      real: {rps: real.requestsPerSecond, meanMs: real.latency.mean, p99Ms: real.latency.p99, errorRate: real.count ? real.errors / real.count : 0},
      predicted: {rps: sim.throughput, meanMs: sim.latency.mean, p99Ms: sim.latency.p99, errorRate: sim.errorRate},
    });
  }
  return {target: opts.target, method: last.method, requests, concurrency, baseMs: base, rows, totals};
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : 1;
}
