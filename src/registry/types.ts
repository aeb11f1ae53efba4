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

/**
 * The registry seam: the embedded daemon (Consul API), a real Consul agent,
 * etcd, ZooKeeper, or memory (tests) all implement it.
 */
export interface Registry {
  /** The URL this registry was opened with (dial://, consul://, mem://...). */
  readonly url: string;
  register(reg: ServiceRegistration): Promise<string>;
  deregister(id: string): Promise<void>;
  services(): Promise<ServiceSummary[]>;
  discover(name: string, opts?: DiscoverOptions): Promise<ServiceInstance[]>;
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
