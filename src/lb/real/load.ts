import {ExitCode, grpcStatusName, rpcExitCode, usageError} from '../../errors/index.js';
import type {Registry} from '../../registry/index.js';
import {createBalancer, parseStrategy} from '../catalog.js';
import {hashKey} from '../hash.js';
import {seededRandom} from '../random.js';
import {logHistogram, summarize} from '../simulator/stats.js';
import {clusterClientTls} from '../../tls/cluster-client.js';
import type {TransportOptions} from '../../rpc/index.js';
import {directEndpoints, discoverEndpoints, isDirect, type InstanceEndpoint} from './endpoints.js';
import {Deadlines, prepareMethod, UnaryClient, type PreparedMethod} from './grpc-client.js';
import type {InstanceStats, LoadOptions, LoadReport} from './types.js';

const UNAVAILABLE = 14;

interface Tally {
  endpoint: InstanceEndpoint;
  latencies: number[];
  ok: number;
  errors: number;
}

/**
 * A balanced run: the healthy gRPC instances of a service (re-read while it
 * runs) or fixed addresses, one channel each, `concurrency` workers sending
 * the same unary request through one balancer (pick, call, observe);
 * UNAVAILABLE is retried on another instance while `retries` allows.
 * Returns throughput, latency, statuses and per-instance counts.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const spec = parseStrategy(opts.strategy ?? 'round-robin');
  const concurrency = opts.concurrency ?? 50;
  const total = opts.durationMs !== undefined ? undefined : (opts.requests ?? 200);
  const retries = opts.retries ?? 0;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 10_000)) throw usageError(`concurrency ${concurrency}: want 1..10000`);
  if (total !== undefined && !(Number.isInteger(total) && total >= 1)) throw usageError(`requests ${total}: want a positive integer`);
  if (!(Number.isInteger(retries) && retries >= 0 && retries <= 10)) throw usageError(`retries ${retries}: want 0..10`);
  if (opts.durationMs !== undefined && !(opts.durationMs > 0)) throw usageError(`duration ${opts.durationMs}ms: want a positive duration`, 'e.g. --duration 10s');
  if (opts.rps !== undefined && !(opts.rps >= 0)) throw usageError(`rps ${opts.rps}: want a positive number of requests per second`, 'leave --rps out for no limit');
  const direct = isDirect(opts.target);
  let registry: Registry | undefined;
  const engine = opts.engine;
  const discover = async () => (direct ? directEndpoints(opts.target) : (engine?.discover ?? discoverEndpoints)((registry ??= await opts.registry()), opts.target, opts.signal));
  let endpoints = await discover();
  // Instances of a `cluster up --tls` registry get the cluster's CA and client certificate, as `dial call` does.
  const tls = registry ? clusterClientTls(registry.url, opts.transport?.tls) : undefined;
  const transport = tls ? {...opts.transport, tls} : opts.transport;
  const method = engine ? await engine.prepare(endpoints, opts.method, opts.message, transport, opts.signal) : await prepareOnAny(endpoints, opts.method, opts.message, transport, opts.signal);

  const clients = new Map<string, Pick<UnaryClient, 'call' | 'close'>>();
  const tallies = new Map<string, Tally>();
  /** Endpoint objects stay the same while an instance keeps its address and weight; a new one gets a new channel. */
  const use = (list: InstanceEndpoint[]) => list.map((e) => {
    const t = tallies.get(e.id);
    if (t && t.endpoint.address === e.address && t.endpoint.weight === e.weight && t.endpoint.path === e.path) return t.endpoint;
    clients.get(e.id)?.close();
    clients.set(e.id, engine ? engine.client(e, opts.headers, transport, timeoutMs) : new UnaryClient(e.address, method as PreparedMethod, opts.headers, transport, e.path));
    tallies.set(e.id, {endpoint: e, latencies: t?.latencies ?? [], ok: t?.ok ?? 0, errors: t?.errors ?? 0});
    return e;
  });
  endpoints = use(endpoints);
  const balancer = createBalancer(spec, endpoints, {random: seededRandom(opts.seed ?? 1)});

  const latencies: number[] = [];
  const statuses = new Map<number, {count: number; message?: string}>();
  let issued = 0;
  let done = 0;
  let errors = 0;
  let extraAttempts = 0;
  const started = performance.now();
  const deadline = opts.durationMs !== undefined ? started + opts.durationMs : Infinity;
  const gap = opts.rps ? 1000 / opts.rps : 0;
  const aborted = () => opts.signal?.aborted ?? false;
  /** Without --lb-key the hashing strategies see the client's address, as source-IP hashing does. */
  const clientHash = hashKey('127.0.0.1');

  const one = async (n: number) => {
    const exclude = new Set<string>();
    const ctx = opts.key ? {key: opts.key.replaceAll('{n}', String(n)), exclude} : {hash: clientHash, exclude};
    const t0 = performance.now();
    let result = {code: 0, message: ''};
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) extraAttempts++;
      const ep = balancer.pick(ctx);
      const a0 = performance.now();
      result = await clients.get(ep.id)!.call(deadlines);
      const ms = performance.now() - a0;
      balancer.observe(ep, result.code === 0 ? 'ok' : 'error', ms);
      const tally = tallies.get(ep.id)!;
      tally.latencies.push(ms);
      if (result.code === 0) tally.ok++;
      else tally.errors++;
      if (result.code !== UNAVAILABLE) break;
      exclude.add(ep.id);
    }
    const latencyMs = performance.now() - t0;
    latencies.push(latencyMs);
    opts.onResult?.({startedAt: performance.timeOrigin + t0, latencyMs, code: result.code, message: result.message || undefined});
    const s = statuses.get(result.code) ?? {count: 0, message: result.message || undefined};
    s.count++;
    statuses.set(result.code, s);
    if (result.code !== 0) errors++;
    done++;
  };
  const worker = async () => {
    while (!aborted()) {
      if (total !== undefined ? issued >= total : performance.now() >= deadline) return;
      const n = issued++;
      if (gap) {
        const wait = started + n * gap - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (performance.now() >= deadline || aborted()) return;
      }
      await one(n);
    }
  };

  const deadlines = new Deadlines(timeoutMs);
  const timers: NodeJS.Timeout[] = [];
  if (opts.onProgress) {
    timers.push(setInterval(() => opts.onProgress!({done, total, errors, elapsedMs: performance.now() - started, durationMs: opts.durationMs}), 100));
  }
  if (!direct && (opts.refreshMs ?? 1000) > 0) {
    let refreshing = false;
    timers.push(setInterval(() => {
      if (refreshing) return;
      refreshing = true;
      discover().then((list) => {
        const next = use(list);
        const same = next.length === balancer.endpoints.length && next.every((e, i) => e === balancer.endpoints[i]);
        if (!same) balancer.update(next);
      }).catch(() => undefined).finally(() => (refreshing = false));
    }, opts.refreshMs ?? 1000));
  }
  try {
    await Promise.all(Array.from({length: total !== undefined ? Math.min(concurrency, total) : concurrency}, worker));
  } finally {
    for (const t of timers) clearInterval(t);
    deadlines.stop();
    for (const c of clients.values()) c.close();
  }
  const totalMs = performance.now() - started;
  opts.onProgress?.({done, total, errors, elapsedMs: totalMs, durationMs: opts.durationMs});

  const sorted = Float64Array.from(latencies);
  const summary = summarize(sorted);
  const attempts = [...tallies.values()].reduce((a, t) => a + t.latencies.length, 0);
  const instances: InstanceStats[] = [...tallies.values()].map((t) => ({
    id: t.endpoint.id, address: t.endpoint.address, weight: t.endpoint.weight, requests: t.latencies.length,
    share: attempts ? t.latencies.length / attempts : 0, ok: t.ok, errors: t.errors, latency: summarize(Float64Array.from(t.latencies)),
  }));
  return {
    target: opts.target, method: method.name, strategy: spec.label, concurrency, ...(opts.rps ? {rps: opts.rps} : {}),
    count: done, ok: done - errors, errors, retries: extraAttempts, totalMs,
    requestsPerSecond: totalMs > 0 ? (done / totalMs) * 1000 : 0,
    latency: {...summary, min: sorted.length ? sorted[0] : NaN},
    histogram: logHistogram(sorted, 10),
    statuses: [...statuses.entries()].sort((a, b) => b[1].count - a[1].count).map(([code, s]) => ({code, name: grpcStatusName(code), count: s.count, ...(code !== 0 && s.message ? {message: s.message} : {})})),
    instances,
    ...(aborted() ? {interrupted: true} : {}),
  };
}

/**
 * Learns the method from the first instance that answers: one that is down
 * (killed, not yet seen critical) must not sink a run the others can serve.
 * Errors other than unreachable (unknown method, bad request) end it at once.
 */
async function prepareOnAny(endpoints: InstanceEndpoint[], methodText: string, message: unknown, transport: TransportOptions | undefined, signal?: AbortSignal): Promise<PreparedMethod> {
  let last: unknown;
  for (const e of endpoints) {
    try {
      return await prepareMethod(e.address, methodText, message, transport, signal, e.path);
    } catch (error) {
      if ((error as {exitCode?: number}).exitCode !== ExitCode.Unreachable || signal?.aborted) throw error;
      last = error;
    }
  }
  throw last;
}

/** `dial call --lb/-n/-c/--retries`: a balanced run of one request, with the exit code of its most frequent failure (64+N). */
export async function balancedCall(opts: Omit<LoadOptions, 'message'> & {messages: unknown[]}): Promise<LoadReport & {exitCode?: number}> {
  if (opts.messages.length > 1) throw usageError(`-d: balanced calls send one request message, got ${opts.messages.length}`, 'pass one JSON object with -d');
  const report = await runLoad({...opts, message: opts.messages[0] ?? {}, requests: opts.requests ?? 1, concurrency: opts.concurrency ?? 1, strategy: opts.strategy ?? 'round-robin'});
  const failed = report.statuses.find((s) => s.code !== 0);
  return failed ? {...report, exitCode: rpcExitCode(failed.code)} : report;
}
