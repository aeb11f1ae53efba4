/** A service-time distribution with its mean (ms). */
export interface ServiceDist {
  kind: 'exp' | 'const' | 'lognormal' | 'pareto';
  meanMs: number;
  /** lognormal: sigma of the underlying normal (default 1; p99/p50 about e^(2.33 sigma)). */
  sigma?: number;
  /** pareto: shape > 1 (default 2.5; smaller is heavier). */
  alpha?: number;
}

/** When a backend joins or leaves: at a simulated time, or after a fraction of the requests. */
export type MembershipTime = {ms: number} | {fraction: number};

/** One simulated backend. */
export interface BackendSpec {
  id: string;
  /** Weight the balancer sees (default 1). */
  weight: number;
  service: ServiceDist;
  /** Requests served in parallel (default 1: an M/M/1 queue with exponential times). */
  concurrency: number;
  /** Requests that may wait; more are rejected at once as errors (default unbounded). */
  queueLimit: number;
  /** Fraction of requests that fail fast (default 0). */
  errorRate: number;
  /** How long a failing request takes (default 1ms). */
  errorMs: number;
  joinAt?: MembershipTime;
  leaveAt?: MembershipTime;
}

/** How requests arrive: open (Poisson or evenly spaced, at a rate) or closed (N clients, each sending its next request when the reply comes). */
export type ArrivalSpec =
  | {kind: 'poisson' | 'constant'; rate?: number; utilization?: number}
  | {kind: 'closed'; clients: number};

/** Request keys for the hashing strategies: `count` keys, uniform (zipf 0) or Zipf with exponent `zipf`. */
export interface KeySpec {
  count: number;
  zipf: number;
}

export interface SimConfig {
  backends: BackendSpec[];
  requests: number;
  arrival: ArrivalSpec;
  keys: KeySpec;
  seed: number;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  mean: number;
  max: number;
}

export interface BackendResult {
  id: string;
  weight: number;
  /** Requests routed here. */
  picks: number;
  /** picks / all requests. */
  share: number;
  ok: number;
  errors: number;
  meanLatencyMs: number;
  /** Busy time / (run time x concurrency). */
  utilization: number;
  /** Longest queue (waiting requests) seen. */
  maxQueue: number;
  /** Requests waiting when the last request arrived (grows with the run when the queue is unstable). */
  queueAtEnd: number;
  /** Waiting requests at 60 evenly spaced points of the run. */
  queueSeries: number[];
}

/** What one strategy did in one simulated run. */
export interface StrategyResult {
  strategy: string;
  kind: 'static' | 'dynamic';
  requests: number;
  errors: number;
  errorRate: number;
  /** Latency of successful requests, ms (queueing + service). */
  latency: LatencySummary;
  /** Histogram of those latencies: log-spaced bucket upper edges (ms) and counts. */
  histogram: {edgesMs: number[]; counts: number[]};
  /** Completed requests per simulated second. */
  throughput: number;
  durationMs: number;
  /** Per-backend requests: max / mean, and coefficient of variation. */
  load: {maxOverMean: number; cv: number};
  /** Of keys seen before and after a membership change, the fraction that moved; undefined without changes. */
  keysRemapped?: number;
  backends: BackendResult[];
  /** Wall time the simulation took, ms. */
  wallMs: number;
}
