import type {Registry} from '../../registry/index.js';
import type {TransportOptions} from '../../rpc/index.js';
import type {LatencySummary} from '../simulator/types.js';
import type {InstanceEndpoint} from './endpoints.js';
import type {RequestResult} from './ghz.js';

/** A balanced run of one unary gRPC method: what `dial call --lb -n -c` and `dial bench` take. */
export interface LoadOptions {
  /** A service name from the registry, or HOST:PORT[,HOST:PORT...]. */
  target: string;
  method: string;
  /** The request, as JSON (one message). */
  message: unknown;
  headers?: [string, string][];
  /** Strategy spec, e.g. "p2c" or "ring:vnodes=40" (default round-robin). */
  strategy?: string;
  /** Requests to send (default 200 unless durationMs is set). */
  requests?: number;
  /** Send for this long instead of a count. */
  durationMs?: number;
  /** Requests in flight at once (default 50, as ghz). */
  concurrency?: number;
  /** Cap on requests started per second (0 = no cap). */
  rps?: number;
  /** Extra attempts on another instance for UNAVAILABLE (default 0). */
  retries?: number;
  /** Deadline per attempt, ms (default 20s as ghz). */
  timeoutMs?: number;
  /** Key for the hashing strategies; "{n}" becomes the request number (default: the client's address, like source-IP hashing). */
  key?: string;
  /** Re-read the healthy instances this often, ms (default 1000; 0 = never). */
  refreshMs?: number;
  seed?: number;
  /** TLS, authority and user agent, as `dial call`'s connection flags give them (gRPC over HTTP/2 only). */
  transport?: TransportOptions;
  registry: () => Promise<Registry>;
  signal?: AbortSignal;
  /** Called about every 100ms while requests run. */
  onProgress?: (p: LoadProgress) => void;
  /** Called as each request ends (its retries included), e.g. to keep per-request rows (GhzCollector). */
  onResult?: (r: RequestResult) => void;
  /** The call engine of another protocol (Thrift: src/rpc/thrift/balanced.ts); default gRPC over HTTP/2 with reflection. */
  engine?: LoadEngine;
}

/** How a balanced run finds instances, prepares the request once, and calls one instance (gRPC by default). */
export interface LoadEngine {
  discover(registry: Registry, service: string, signal?: AbortSignal): Promise<InstanceEndpoint[]>;
  prepare(endpoints: InstanceEndpoint[], method: string, message: unknown, transport: TransportOptions | undefined, signal?: AbortSignal): Promise<{name: string}>;
  client(endpoint: InstanceEndpoint, headers: [string, string][] | undefined, transport: TransportOptions | undefined, timeoutMs: number): {call(): Promise<{code: number; message: string}>; close(): void};
}

export interface LoadProgress {
  done: number;
  total?: number;
  errors: number;
  elapsedMs: number;
  durationMs?: number;
}

export interface InstanceStats {
  id: string;
  address: string;
  weight: number;
  /** Attempts sent here (retries included). */
  requests: number;
  share: number;
  ok: number;
  errors: number;
  latency: LatencySummary;
}

export interface LoadReport {
  target: string;
  method: string;
  strategy: string;
  concurrency: number;
  rps?: number;
  /** Requests completed (each counted once, whatever its retries). */
  count: number;
  ok: number;
  errors: number;
  /** Extra attempts made on other instances. */
  retries: number;
  totalMs: number;
  /** Completed requests per second. */
  requestsPerSecond: number;
  /** Latency of each request (retries included), ms. */
  latency: LatencySummary & {min: number};
  histogram: {edgesMs: number[]; counts: number[]};
  /** Final status of each request, by status. */
  statuses: {code: number; name: string; count: number; message?: string}[];
  instances: InstanceStats[];
  /** True when Ctrl-C stopped the run early. */
  interrupted?: boolean;
}
