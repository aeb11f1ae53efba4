import {randomUUID} from 'node:crypto';
import {DialError} from '../errors/index.js';
import {parseDuration} from '../util/index.js';
import {ChangeFeed, snapshotsOf} from './change-feed.js';
import {checkKvKey, foldKeys, sortEntries} from './kv-keys.js';
import {
  type CheckStatus, checksOf, type DiscoverOptions, type HealthStatus, type KvDeleteOptions, type KvEntry, type KvPutOptions,
  type KvStore, type Registry, type ServiceCheck, type ServiceInstance, type ServiceRegistration, type ServiceSummary,
  summarize, type WatchOptions, worstStatus,
} from './types.js';

interface MemCheck extends CheckStatus {
  ttlMs?: number;
  deadline?: number;
}
type MemInstance = Omit<ServiceInstance, 'checks'> & {checks: MemCheck[]};

/** An in-memory Registry for unit tests: same contract, no process, no network. */
export class MemoryRegistry implements Registry {
  readonly url = 'mem://';
  readonly feed = new ChangeFeed();
  readonly kv: KvStore;
  private readonly instances = new Map<string, MemInstance>();

  constructor() {
    this.kv = new MemoryKv(this.feed);
  }

  async register(reg: ServiceRegistration): Promise<string> {
    if (!reg.name) throw new DialError('INVALID_REGISTRATION', 'a service name is required');
    const id = reg.id ?? `${reg.name}-${randomUUID().slice(0, 8)}`;
    const checks: MemCheck[] = (reg.checks ?? []).map((c, n) => ({
      id: c.id ?? `service:${id}${reg.checks!.length > 1 ? `:${n + 1}` : ''}`,
      name: c.name ?? `Service '${reg.name}' check`,
      serviceId: id,
      type: c.http ? 'http' : c.tcp ? 'tcp' : c.grpc ? 'grpc' : c.ttl ? 'ttl' : '',
      status: c.status ?? 'critical',
      output: '',
      ...(c.ttl ? {ttlMs: parseDuration(c.ttl)} : {}),
    }));
    this.instances.set(id, {
      id, name: reg.name, address: reg.address, port: reg.port, tags: [...(reg.tags ?? [])], meta: {...reg.meta},
      weights: reg.weights ?? {passing: 1, warning: 1}, status: worstStatus(checks.map((c) => c.status)), checks,
    });
    this.feed.bump();
    return id;
  }

  async deregister(id: string): Promise<void> {
    if (!this.instances.delete(id)) {
      throw new DialError('NOT_FOUND', `no instance with id '${id}'`, {hint: "list ids with 'dial discover NAME'"});
    }
    this.feed.bump();
  }

  /** Test helper: set a check's status (as a health checker would). */
  setCheckStatus(checkId: string, status: HealthStatus, output = ''): void {
    const c = this.findCheck(checkId);
    c.status = status;
    c.output = output;
    this.feed.bump();
  }

  async updateCheck(checkId: string, status: HealthStatus, note = ''): Promise<void> {
    const c = this.findCheck(checkId);
    if (c.type !== 'ttl') throw new DialError('NOT_TTL_CHECK', `check '${checkId}' is not a TTL check`, {hint: 'only TTL checks take pass, warn and fail'});
    if (c.ttlMs) c.deadline = Date.now() + c.ttlMs;
    this.setCheckStatus(checkId, status, note);
  }

  private findCheck(checkId: string): MemCheck {
    for (const inst of this.instances.values()) {
      const c = inst.checks.find((x) => x.id === checkId);
      if (c) return c;
    }
    throw new DialError('NOT_FOUND', `no check with id '${checkId}'`, {hint: "list checks with 'dial health NAME'"});
  }

  /** Current view: TTL checks past their deadline read as critical. */
  private snapshot(): ServiceInstance[] {
    const now = Date.now();
    return [...this.instances.values()].map((i) => {
      const checks = i.checks.map(({ttlMs: _t, deadline, ...c}) =>
        deadline !== undefined && now > deadline ? {...c, status: 'critical' as const, output: 'TTL expired'} : {...c});
      return {...structuredClone({...i, checks: []}), checks, status: worstStatus(checks.map((c) => c.status))};
    });
  }

  async services(): Promise<ServiceSummary[]> {
    return summarize(this.snapshot());
  }

  async discover(name: string, opts: DiscoverOptions = {}): Promise<ServiceInstance[]> {
    return this.snapshot()
      .filter((i) => i.name === name)
      .filter((i) => !opts.tag || i.tags.includes(opts.tag))
      .filter((i) => !opts.healthy || i.status === 'passing')
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async health(name: string): Promise<ServiceCheck[]> {
    return checksOf(await this.discover(name));
  }

  watchService(name: string, opts: WatchOptions = {}): AsyncIterable<ServiceInstance[]> {
    return snapshotsOf(this.feed, () => this.discover(name), opts.signal);
  }

  watchServices(opts: WatchOptions = {}): AsyncIterable<ServiceSummary[]> {
    return snapshotsOf(this.feed, () => this.services(), opts.signal);
  }

  async close(): Promise<void> {}
}

/** KV in a Map, with Consul's index semantics (a global counter). */
class MemoryKv implements KvStore {
  private readonly entries = new Map<string, KvEntry>();
  private index = 0;

  constructor(private readonly feed: ChangeFeed) {}

  async get(key: string): Promise<KvEntry | undefined> {
    checkKvKey(key);
    const e = this.entries.get(key);
    return e && {...e, value: Buffer.from(e.value)};
  }

  async list(prefix: string): Promise<KvEntry[]> {
    checkKvKey(prefix, true);
    return sortEntries([...this.entries.values()].filter((e) => e.key.startsWith(prefix)).map((e) => ({...e, value: Buffer.from(e.value)})));
  }

  async keys(prefix: string, separator?: string): Promise<string[]> {
    checkKvKey(prefix, true);
    return foldKeys([...this.entries.keys()], prefix, separator);
  }

  async put(key: string, value: Buffer, opts: KvPutOptions = {}): Promise<boolean> {
    checkKvKey(key);
    const cur = this.entries.get(key);
    if (opts.cas !== undefined && (cur?.modifyIndex ?? 0) !== opts.cas) return false;
    const index = ++this.index;
    this.entries.set(key, {key, value: Buffer.from(value), flags: opts.flags ?? cur?.flags ?? 0, createIndex: cur?.createIndex ?? index, modifyIndex: index});
    this.feed.bump();
    return true;
  }

  async delete(key: string, opts: KvDeleteOptions = {}): Promise<boolean> {
    checkKvKey(key, Boolean(opts.recurse));
    if (opts.recurse) {
      for (const k of [...this.entries.keys()]) if (k.startsWith(key)) this.entries.delete(k);
    } else {
      const cur = this.entries.get(key);
      if (opts.cas !== undefined && (cur?.modifyIndex ?? 0) !== opts.cas) return false;
      this.entries.delete(key);
    }
    this.index++;
    this.feed.bump();
    return true;
  }
}
