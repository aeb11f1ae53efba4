/** One place a request can go: an instance from the registry or a simulated backend. */
export interface Endpoint {
  /** Unique id (registry instance ID, simulator backend name). */
  readonly id: string;
  /** Relative weight, > 0 (1 when all are equal). */
  readonly weight: number;
}

/** What a balancer may know about the request it routes. */
export interface PickContext {
  /** Request key for the hashing strategies (a user id, a session, a source IP ...). */
  key?: string;
  /** The key's 32-bit hash when the caller precomputed it (hashKey(key)); wins over key. */
  hash?: number;
  /** Endpoint ids this request must avoid (it already failed there), when any other is left. */
  exclude?: ReadonlySet<string>;
}

export type Outcome = 'ok' | 'error';

/**
 * The balancer seam, shared by the simulator and real calls. Every pick is
 * followed by exactly one observe of the same endpoint (when the request
 * ends), so strategies can count outstanding requests. Deterministic given
 * its random source and clock.
 */
export interface Balancer<E extends Endpoint = Endpoint> {
  /** Strategy name, e.g. "p2c". */
  readonly name: string;
  /** The current endpoints, in update order. */
  readonly endpoints: readonly E[];
  /** Chooses the endpoint for one request; throws NO_ENDPOINTS when there is none. */
  pick(ctx?: PickContext): E;
  /** Reports how a request sent to `endpoint` ended and how long it took (ms). */
  observe(endpoint: E, outcome: Outcome, latencyMs: number): void;
  /** Replaces the endpoint set; state of endpoints that stay (by id) is kept. */
  update(endpoints: readonly E[]): void;
}

/** A source of uniform random numbers in [0, 1); seeded, so runs repeat. */
export interface RandomSource {
  next(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
}

/** Tunables of the strategies (each reads the ones it needs). */
export interface BalancerOptions {
  /** Random source (default: seeded with 1). */
  random?: RandomSource;
  /** Clock in ms (default performance.now; the simulator passes its virtual clock). */
  now?: () => number;
  /** Ring: virtual nodes per endpoint of average weight (default 160, as ketama). */
  vnodes?: number;
  /** Maglev: lookup table size, a prime (default 65537). */
  tableSize?: number;
  /** Bounded loads: factor c > 1 (default 1.25). */
  loadFactor?: number;
  /** Peak-EWMA: decay time constant in ms (default 10s, as Finagle and Linkerd). */
  decayMs?: number;
  /** Least response time: EWMA smoothing of the response time per sample (default 0.2). */
  alpha?: number;
}
