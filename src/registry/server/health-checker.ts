import {parseDuration} from '../../util/index.js';
import type {HealthStatus} from '../types.js';
import {type ProbeResult, type ProbeTls, probeGrpc, probeHttp, probeTcp} from './probes.js';
import type {Store, StoredCheck} from './store.js';

export interface HealthCheckerOptions {
  /** Client TLS material used when a check targets a TLS endpoint. */
  tls?: ProbeTls;
  /** Called after a check's status changes (for events and logs). */
  onChange?: (check: StoredCheck, status: HealthStatus, output: string) => void;
  /** Called when a critical service is removed by DeregisterCriticalServiceAfter. */
  onReap?: (serviceId: string) => void;
}

const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Runs every active check of the store on its interval (HTTP, TCP, gRPC),
 * expires TTL checks, and removes services that stayed critical longer than
 * their DeregisterCriticalServiceAfter. Results are written to the store.
 */
export class HealthChecker {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly ttlDeadlines = new Map<string, number>();
  private reaper?: NodeJS.Timeout;
  private stopped = false;
  private readonly reaping = new Set<string>();

  constructor(private readonly store: Store, private readonly opts: HealthCheckerOptions = {}) {}

  start(): void {
    for (const c of this.store.listChecks()) this.schedule(c);
    this.reaper = setInterval(() => this.tick(), 500);
    this.reaper.unref();
  }

  /** (Re)schedules a check after registration; runs it at once. */
  schedule(check: StoredCheck): void {
    this.unschedule(check.id);
    if (this.stopped) return;
    const def = check.definition;
    if (def.ttl) {
      this.ttlDeadlines.set(check.id, Date.now() + (parseDuration(def.ttl) ?? 0));
      return;
    }
    if (!def.http && !def.tcp && !def.grpc) return;
    const interval = Math.max(100, parseDuration(def.interval ?? '') ?? DEFAULT_INTERVAL_MS);
    const run = async () => {
      if (this.stopped || !this.timers.has(check.id)) return;
      const result = await this.probe(check);
      if (this.stopped || !this.timers.has(check.id)) return;
      this.record(check.id, result);
      this.timers.set(check.id, setTimeout(run, interval));
    };
    this.timers.set(check.id, setTimeout(run, 0));
  }

  unschedule(checkId: string): void {
    const t = this.timers.get(checkId);
    if (t) clearTimeout(t);
    this.timers.delete(checkId);
    this.ttlDeadlines.delete(checkId);
  }

  /** A TTL check reported in (pass/warn/fail): resets its deadline. */
  ttlUpdate(checkId: string, status: HealthStatus, output: string): boolean {
    const check = this.store.getCheck(checkId);
    if (!check) return false;
    const ttl = parseDuration(check.definition.ttl ?? '') ?? 0;
    if (ttl > 0) this.ttlDeadlines.set(checkId, Date.now() + ttl);
    this.record(checkId, {status, output});
    return true;
  }

  private async probe(check: StoredCheck): Promise<ProbeResult> {
    const def = check.definition;
    const timeout = Math.max(50, parseDuration(def.timeout ?? '') ?? DEFAULT_TIMEOUT_MS);
    if (def.http) return probeHttp(def.http, timeout, this.opts.tls);
    if (def.tcp) return probeTcp(def.tcp, timeout);
    return probeGrpc(def.grpc!, timeout, def.grpcUseTls ? (this.opts.tls ?? {}) : false);
  }

  private record(checkId: string, r: ProbeResult): void {
    const before = this.store.getCheck(checkId);
    if (!before) return;
    if (this.store.updateCheck(checkId, r.status, r.output) && before.status !== r.status) {
      this.opts.onChange?.(before, r.status, r.output);
    }
  }

  private tick(): void {
    const now = Date.now();
    for (const [id, deadline] of this.ttlDeadlines) {
      if (now > deadline) {
        const c = this.store.getCheck(id);
        if (c && c.status !== 'critical') this.record(id, {status: 'critical', output: 'TTL expired'});
      }
    }
    for (const c of this.store.listChecks()) {
      const after = parseDuration(c.definition.deregisterCriticalServiceAfter ?? '');
      if (after === undefined || !c.serviceId || c.criticalSince === null || now - c.criticalSince < after || this.reaping.has(c.serviceId)) continue;
      const ids = this.store.listChecks(c.serviceId).map((x) => x.id);
      for (const id of ids) this.unschedule(id);
      this.reaping.add(c.serviceId);
      void this.store.deleteService(c.serviceId).then((gone) => {
        if (gone) this.opts.onReap?.(c.serviceId);
      }, () => undefined).finally(() => this.reaping.delete(c.serviceId));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.timers.keys()]) this.unschedule(id);
    if (this.reaper) clearInterval(this.reaper);
  }
}
