/** Health of a check or an instance, with Consul's vocabulary. */
export type HealthStatus = 'passing' | 'warning' | 'critical';

/** A health check to run against an instance (Consul's check definition, camelCased). */
export interface CheckDefinition {
  id?: string;
  name?: string;
  notes?: string;
  /** GET this URL: 2xx passing, 429 warning, anything else critical. */
  http?: string;
  /** Connect to HOST:PORT over TCP. */
  tcp?: string;
  /** gRPC health protocol against HOST:PORT[/service]. */
  grpc?: string;
  grpcUseTls?: boolean;
  /** Time-to-live: the instance must report within this duration (e.g. "15s"). */
  ttl?: string;
  interval?: string;
  timeout?: string;
  deregisterCriticalServiceAfter?: string;
  /** Initial status (default critical, as in Consul). */
  status?: HealthStatus;
}

/** What a client sends to register an instance. */
export interface ServiceRegistration {
  id?: string;
  name: string;
  address: string;
  port: number;
  tags?: string[];
  meta?: Record<string, string>;
  weights?: {passing: number; warning: number};
  checks?: CheckDefinition[];
}

/** The state of one check, as the registry reports it. */
export interface CheckStatus {
  id: string;
  name: string;
  serviceId: string;
  type: string;
  status: HealthStatus;
  output: string;
  notes?: string;
}

/** One registered instance of a service, with its aggregate health. */
export interface ServiceInstance {
  id: string;
  name: string;
  address: string;
  port: number;
  tags: string[];
  meta: Record<string, string>;
  weights: {passing: number; warning: number};
  /** Worst status of the instance's checks; passing when it has none. */
  status: HealthStatus;
  checks: CheckStatus[];
}

/** One service name with its instance counts by health. */
export interface ServiceSummary {
  name: string;
  tags: string[];
  instances: number;
  passing: number;
  warning: number;
  critical: number;
}

export interface DiscoverOptions {
  /** Only instances whose checks are all passing. */
  healthy?: boolean;
  /** Only instances with this tag. */
  tag?: string;
  signal?: AbortSignal;
}

/** A check of a service with the service it belongs to (`dial health NAME`). */
export interface ServiceCheck extends CheckStatus {
  serviceName: string;
}

/** One key of the KV store (Consul's KV entry, camelCased; the value as bytes). */
export interface KvEntry {
  key: string;
  value: Buffer;
  flags: number;
  createIndex: number;
  modifyIndex: number;
}

export interface KvPutOptions {
  /** Check-and-set: write only when the key's modifyIndex equals this (0: only when the key does not exist). */
  cas?: number;
  flags?: number;
}

export interface KvDeleteOptions {
  /** Delete every key under the prefix. */
  recurse?: boolean;
  /** Delete only when the key's modifyIndex equals this. */
  cas?: number;
}

/** The key/value store of a registry (Consul KV, etcd keys, ZooKeeper znodes). */
export interface KvStore {
  get(key: string): Promise<KvEntry | undefined>;
  /** Every entry whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<KvEntry[]>;
  /** Keys under `prefix`; with a separator, keys are folded at its first occurrence after the prefix (Consul's ?keys&separator). */
  keys(prefix: string, separator?: string): Promise<string[]>;
  /** Writes a value; false when a --cas condition did not hold. */
  put(key: string, value: Buffer, opts?: KvPutOptions): Promise<boolean>;
  /** Deletes a key (or a prefix); false when a --cas condition did not hold. */
  delete(key: string, opts?: KvDeleteOptions): Promise<boolean>;
}

export interface WatchOptions {
  signal?: AbortSignal;
  /** Longest wait of one blocking query (default 5m). */
  waitMs?: number;
}

/**
 * The registry seam: the embedded daemon (Consul API), a real Consul agent,
 * etcd, ZooKeeper, or memory (tests) all implement it.
 */
export interface Registry {
  /** The URL this registry was opened with (dial://, consul://, mem://...). */
  readonly url: string;
  /**
   * True when a registration lives only as long as this client's session
   * (ZooKeeper ephemeral znodes): `dial register` then holds it in the foreground.
   */
  readonly sessionBound?: boolean;
  /**
   * With sessionBound: resolves true once the registration `id` made through
   * this client is removed by someone else (e.g. `dial deregister` in another
   * shell), false when `signal` aborts; rejects when the session is lost.
   */
  untilDeregistered?(id: string, signal: AbortSignal): Promise<boolean>;
  register(reg: ServiceRegistration): Promise<string>;
  deregister(id: string): Promise<void>;
  services(): Promise<ServiceSummary[]>;
  discover(name: string, opts?: DiscoverOptions): Promise<ServiceInstance[]>;
  /** Every check of every instance of `name`, with status and output. */
  health(name: string): Promise<ServiceCheck[]>;
  /** Reports a TTL check (`dial check pass|warn|fail`): resets its deadline and sets its status. */
  updateCheck(checkId: string, status: HealthStatus, note?: string): Promise<void>;
  /** Snapshots of a service's instances: the current one at once, then one after each change, until aborted. */
  watchService(name: string, opts?: WatchOptions): AsyncIterable<ServiceInstance[]>;
  /** Snapshots of the service list, as watchService does. */
  watchServices(opts?: WatchOptions): AsyncIterable<ServiceSummary[]>;
  readonly kv: KvStore;
  close(): Promise<void>;
}

const RANK: Record<HealthStatus, number> = {passing: 0, warning: 1, critical: 2};

/** The worst of several statuses (Consul's aggregate rule). */
export function worstStatus(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = 'passing';
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

/** Summarizes instances by name, sorted by name. */
export function summarize(instances: ServiceInstance[]): ServiceSummary[] {
  const byName = new Map<string, ServiceSummary>();
  for (const i of instances) {
    let s = byName.get(i.name);
    if (!s) {
      s = {name: i.name, tags: [], instances: 0, passing: 0, warning: 0, critical: 0};
      byName.set(i.name, s);
    }
    s.instances++;
    s[i.status]++;
    for (const t of i.tags) if (!s.tags.includes(t)) s.tags.push(t);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The checks of instances, flattened with their service name. */
export function checksOf(instances: ServiceInstance[]): ServiceCheck[] {
  return instances.flatMap((i) => i.checks.map((c) => ({...c, serviceName: i.name})));
}

/** Consul's KV key rules, shared by every backend: non-empty, no leading '/', at most 512 bytes, no NUL. */
export function kvKeyProblem(key: string, allowEmpty = false): string | undefined {
  if (key === '' && !allowEmpty) return 'the key is empty';
  if (key.startsWith('/')) return `key '${key}' begins with '/'`;
  if (Buffer.byteLength(key) > 512) return 'the key is longer than 512 bytes';
  if (key.includes('\0')) return 'the key contains a NUL character';
  return undefined;
}
