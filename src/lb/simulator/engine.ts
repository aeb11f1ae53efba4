import FlatQueue from 'flatqueue';
import {createBalancer, type StrategySpec} from '../catalog.js';
import {hashKey} from '../hash.js';
import {deriveSeed, seededRandom} from '../random.js';
import type {Endpoint, PickContext} from '../types.js';
import {sampler, zipfSampler} from './distributions.js';
import {logHistogram, spread, summarize} from './stats.js';
import type {BackendResult, SimConfig, StrategyResult} from './types.js';

interface SimEndpoint extends Endpoint {
  index: number;
}

/** How a request ended: served fine, failed while served, or rejected by a full queue. */
const OK = 0;
const FAILED = 1;
const REJECTED = 2;
const SERIES_POINTS = 60;

/** Requests per second the backends present at the start can serve. */
export function capacity(cfg: Pick<SimConfig, 'backends'>): number {
  return cfg.backends.filter((b) => !b.joinAt).reduce((a, b) => a + (b.concurrency * 1000) / b.service.meanMs, 0);
}

/** The open-loop arrival rate (req/s) of a config: given, or utilization x capacity. */
export function arrivalRate(cfg: SimConfig): number | undefined {
  const a = cfg.arrival;
  if (a.kind === 'closed') return undefined;
  return a.rate ?? (a.utilization ?? 0.8) * capacity(cfg);
}

/**
 * Runs one strategy through one workload: a discrete-event simulation on its
 * own clock (a binary heap of completion times; no wall clock), FIFO queues
 * with `concurrency` servers per backend, membership changes at a time or a
 * request count. Arrivals and keys come from their own seeded streams and
 * each backend draws its service times from its own, so every strategy sees
 * the same requests. Deterministic for a config and seed.
 */
export function simulateStrategy(cfg: SimConfig, spec: StrategySpec): StrategyResult {
  const wall = performance.now();
  const N = cfg.requests;
  const B = cfg.backends.length;
  const seed = cfg.seed;
  const arrivals = seededRandom(deriveSeed(seed, 0));
  const keyRandom = seededRandom(deriveSeed(seed, 1));
  const services = cfg.backends.map((b, i) => sampler(b.service, seededRandom(deriveSeed(seed, 100 + i))));
  const failures = cfg.backends.map((_, i) => seededRandom(deriveSeed(seed, 10_000 + i)));
  const conc = Int32Array.from(cfg.backends, (b) => b.concurrency);
  const qlimit = Float64Array.from(cfg.backends, (b) => b.queueLimit);
  const errRate = Float64Array.from(cfg.backends, (b) => b.errorRate);
  const errMs = Float64Array.from(cfg.backends, (b) => b.errorMs);
  const endpoints: SimEndpoint[] = cfg.backends.map((b, index) => ({id: b.id, weight: b.weight, index}));

  const K = Math.max(1, cfg.keys.count);
  const keyHashes = Uint32Array.from({length: K}, (_, k) => hashKey(`key-${k}`));
  const nextKey = cfg.keys.zipf > 0 ? zipfSampler(K, cfg.keys.zipf, keyRandom) : () => keyRandom.int(K);

  const rate = arrivalRate(cfg);
  const changes = cfg.backends.flatMap((b, i) => [
    ...(b.joinAt ? [{i, join: true, at: b.joinAt}] : []),
    ...(b.leaveAt ? [{i, join: false, at: b.leaveAt}] : []),
  ]).map((c) => ({...c, atRequest: 'fraction' in c.at ? Math.floor(c.at.fraction * N) : Infinity, atMs: 'ms' in c.at ? c.at.ms : Infinity}));
  const present = new Uint8Array(B);
  cfg.backends.forEach((b, i) => (present[i] = b.joinAt ? 0 : 1));

  let t = 0;
  const balancer = createBalancer(spec, endpoints.filter((e) => present[e.index]), {random: seededRandom(deriveSeed(seed, 2)), now: () => t});
  const ctx: PickContext = {hash: 0};

  const reqStart = new Float64Array(N);
  const reqBackend = new Int32Array(N);
  const reqState = new Uint8Array(N);
  const okLatency = new Float64Array(N);
  let okCount = 0;
  let errors = 0;
  const heap = new FlatQueue<number>();
  const busy = new Int32Array(B);
  const queues: number[][] = Array.from({length: B}, () => []);
  const qhead = new Int32Array(B);
  const picks = new Float64Array(B);
  const oks = new Float64Array(B);
  const errs = new Float64Array(B);
  const latSum = new Float64Array(B);
  const busyMs = new Float64Array(B);
  const maxQueue = new Int32Array(B);
  const queueAtEnd = new Int32Array(B);
  const series: number[][] = Array.from({length: B}, () => []);
  const seriesEvery = Math.max(1, Math.floor(N / SERIES_POINTS));
  const lastBackend = new Int32Array(K).fill(-1);
  const lastEpoch = new Int32Array(K);
  let epoch = 0;
  let compared = 0;
  let moved = 0;
  const applied = new Uint8Array(changes.length);
  let pending = changes.length;

  const qlen = (b: number) => queues[b].length - qhead[b];
  const start = (i: number, b: number) => {
    busy[b]++;
    let d: number;
    if (errRate[b] > 0 && failures[b].next() < errRate[b]) {
      d = errMs[b];
      reqState[i] = FAILED;
    } else d = services[b]();
    busyMs[b] += d;
    heap.push(i, t + d);
  };
  const applyChanges = (i: number) => {
    let changed = false;
    changes.forEach((c, n) => {
      if (applied[n] || (c.atRequest > i && c.atMs > t)) return;
      applied[n] = 1;
      pending--;
      present[c.i] = c.join ? 1 : 0;
      changed = true;
    });
    if (changed) {
      balancer.update(endpoints.filter((e) => present[e.index]));
      epoch++;
    }
  };
  const arrive = (i: number) => {
    if (pending > 0) applyChanges(i);
    const k = nextKey();
    ctx.hash = keyHashes[k];
    const b = balancer.pick(ctx).index;
    if (epoch > 0 && lastBackend[k] >= 0 && lastEpoch[k] < epoch) {
      compared++;
      if (lastBackend[k] !== b) moved++;
    }
    lastBackend[k] = b;
    lastEpoch[k] = epoch;
    picks[b]++;
    reqStart[i] = t;
    reqBackend[i] = b;
    if (busy[b] < conc[b]) start(i, b);
    else if (qlen(b) < qlimit[b]) {
      queues[b].push(i);
      if (qlen(b) > maxQueue[b]) maxQueue[b] = qlen(b);
    } else {
      reqState[i] = REJECTED;
      heap.push(i, t);
    }
    if (i % seriesEvery === 0) for (let x = 0; x < B; x++) series[x].push(qlen(x));
    if (i === N - 1) for (let x = 0; x < B; x++) queueAtEnd[x] = qlen(x);
  };
  const complete = (i: number) => {
    const b = reqBackend[i];
    const state = reqState[i];
    const latency = t - reqStart[i];
    if (state !== REJECTED) {
      busy[b]--;
      if (qlen(b) > 0) {
        const q = queues[b];
        const next = q[qhead[b]++];
        if (qhead[b] > 4096 && qhead[b] * 2 > q.length) {
          queues[b] = q.slice(qhead[b]);
          qhead[b] = 0;
        }
        start(next, b);
      }
    }
    balancer.observe(endpoints[b], state === OK ? 'ok' : 'error', latency);
    if (state === OK) {
      okLatency[okCount++] = latency;
      oks[b]++;
      latSum[b] += latency;
    } else {
      errors++;
      errs[b]++;
    }
  };

  const closed = cfg.arrival.kind === 'closed' ? cfg.arrival : undefined;
  const constant = cfg.arrival.kind === 'constant';
  const gap = rate ? 1000 / rate : 0;
  const interarrival = () => (constant ? gap : -Math.log(1 - arrivals.next()) * gap);
  let issued = 0;
  let done = 0;
  let nextArrival = Infinity;
  if (closed) {
    for (let c = 0; c < Math.min(closed.clients, N); c++) arrive(issued++);
  } else nextArrival = interarrival();
  const firstArrival = closed ? 0 : nextArrival;
  let lastDone = 0;
  while (done < N) {
    const tc = heap.length > 0 ? heap.peekValue()! : Infinity;
    if (issued < N && nextArrival <= tc) {
      t = nextArrival;
      arrive(issued++);
      nextArrival = issued < N ? t + interarrival() : Infinity;
      continue;
    }
    if (tc === Infinity) break;
    t = tc;
    complete(heap.pop()!);
    done++;
    lastDone = t;
    if (closed && issued < N) arrive(issued++);
  }

  const durationMs = Math.max(lastDone - firstArrival, 1e-9);
  const everPresent = cfg.backends.map((_, i) => i);
  const backends: BackendResult[] = cfg.backends.map((b, i) => ({
    id: b.id, weight: b.weight, picks: picks[i], share: picks[i] / N, ok: oks[i], errors: errs[i],
    meanLatencyMs: oks[i] ? latSum[i] / oks[i] : NaN,
    utilization: busyMs[i] / (durationMs * conc[i]),
    maxQueue: maxQueue[i], queueAtEnd: queueAtEnd[i], queueSeries: series[i],
  }));
  const okSorted = okLatency.subarray(0, okCount);
  const latency = summarize(okSorted);
  return {
    strategy: spec.label,
    kind: spec.info.kind,
    requests: N,
    errors,
    errorRate: errors / N,
    latency,
    histogram: logHistogram(okSorted),
    throughput: (done / durationMs) * 1000,
    durationMs,
    load: spread(everPresent.map((i) => picks[i])),
    ...(changes.length ? {keysRemapped: compared ? moved / compared : 0} : {}),
    backends,
    wallMs: performance.now() - wall,
  };
}
