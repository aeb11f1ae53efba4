import {DialError, usageError} from '../errors/index.js';
import {abortAfter, parseDuration} from '../util/index.js';
import {ChangeFeed, snapshotsOf} from './change-feed.js';
import {EtcdClient} from './etcd-client.js';
import {checkKvKey, foldKeys} from './kv-keys.js';
import {
  type CheckStatus, checksOf, type DiscoverOptions, type HealthStatus, type KvDeleteOptions, type KvEntry, type KvPutOptions,
  type KvStore, type Registry, type ServiceCheck, type ServiceInstance, type ServiceRegistration, type ServiceSummary,
  summarize, type WatchOptions, worstStatus,
} from './types.js';

const SERVICES = 'dial/services/';
const KV = 'dial/kv/';

/** What an instance's key holds (JSON): the instance, its checks, and its lease. */
interface StoredInstance extends Omit<ServiceInstance, 'status'> {
  checks: (CheckStatus & {ttl?: string})[];
  lease?: string;
}

export interface EtcdRegistryOptions {
  /** Renew the leases this client created every TTL/3 until close() (for long-lived processes). */
  keepAlive?: boolean;
}

/**
 * etcd v3 as a registry: each instance is a key dial/services/NAME/ID holding
 * JSON; an instance with a TTL check is bound to a lease of that TTL, so it
 * disappears when nobody renews it (health = lease alive); 'dial check pass'
 * renews the lease. Discovery is a prefix range; watches are etcd watch
 * streams on the prefix. KV keys live under dial/kv/.
 */
export class EtcdRegistry implements Registry {
  readonly client: EtcdClient;
  readonly kv: KvStore;
  private readonly keepers = new Map<string, NodeJS.Timeout>();

  constructor(readonly url: string, hosts: string[], private readonly opts: EtcdRegistryOptions = {}) {
    this.client = new EtcdClient(hosts);
    this.kv = new EtcdKv(this.client);
  }

  async register(reg: ServiceRegistration): Promise<string> {
    const id = reg.id ?? reg.name;
    const probes = (reg.checks ?? []).filter((c) => !c.ttl);
    if (probes.length) {
      throw usageError('etcd registrations take TTL checks only (health = the lease is alive)', 'use --check-ttl, or the dial/Consul registry for HTTP, TCP and gRPC checks');
    }
    const ttlCheck = reg.checks?.find((c) => c.ttl);
    const old = await this.find((i) => i.id === id);
    let lease: string | undefined;
    if (ttlCheck) {
      const ms = parseDuration(ttlCheck.ttl!) ?? 0;
      lease = (await this.client.grant(Math.max(1, Math.ceil(ms / 1000)))).id;
    }
    const stored: StoredInstance = {
      id, name: reg.name, address: reg.address, port: reg.port, tags: [...(reg.tags ?? [])], meta: {...reg.meta},
      weights: reg.weights ?? {passing: 1, warning: 1},
      checks: ttlCheck ? [{id: ttlCheck.id ?? `service:${id}`, name: ttlCheck.name ?? `Service '${reg.name}' check`, serviceId: id, type: 'ttl', status: 'passing', output: 'lease granted', ttl: ttlCheck.ttl}] : [],
      ...(lease ? {lease} : {}),
    };
    await this.client.put(key(reg.name, id), JSON.stringify(stored), {lease});
    if (old) {
      if (old.name !== reg.name) await this.client.deleteRange(key(old.name, id));
      if (old.lease && old.lease !== lease) await this.client.revoke(old.lease);
    }
    if (lease && this.opts.keepAlive) {
      const t = setInterval(() => void this.client.keepAlive(lease).catch(() => undefined), Math.max(500, (parseDuration(ttlCheck!.ttl!) ?? 3000) / 3));
      t.unref();
      this.keepers.set(id, t);
    }
    return id;
  }

  async deregister(id: string): Promise<void> {
    const inst = await this.find((i) => i.id === id);
    if (!inst) throw new DialError('NOT_FOUND', `no instance with id '${id}'`, {hint: "list ids with 'dial discover NAME'"});
    clearInterval(this.keepers.get(id));
    this.keepers.delete(id);
    await this.client.deleteRange(key(inst.name, id));
    if (inst.lease) await this.client.revoke(inst.lease);
  }

  private async all(prefix = SERVICES): Promise<StoredInstance[]> {
    const out: StoredInstance[] = [];
    for (const kv of await this.client.range(prefix, {prefix: true})) {
      try {
        out.push(JSON.parse(kv.value.toString()) as StoredInstance);
      } catch {
        // not written by dial: skip
      }
    }
    return out;
  }

  private async find(pred: (i: StoredInstance) => boolean): Promise<StoredInstance | undefined> {
    return (await this.all()).find(pred);
  }

  async services(): Promise<ServiceSummary[]> {
    return summarize((await this.all()).map(toInstance));
  }

  async discover(name: string, opts: DiscoverOptions = {}): Promise<ServiceInstance[]> {
    return (await this.all(`${SERVICES}${name}/`)).map(toInstance)
      .filter((i) => !opts.tag || i.tags.includes(opts.tag))
      .filter((i) => !opts.healthy || i.status === 'passing')
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async health(name: string): Promise<ServiceCheck[]> {
    return checksOf(await this.discover(name));
  }

  async updateCheck(checkId: string, status: HealthStatus, note = ''): Promise<void> {
    const inst = await this.find((i) => i.checks.some((c) => c.id === checkId));
    if (!inst) throw new DialError('NOT_FOUND', `no check with id '${checkId}' (or its lease expired)`, {hint: "list checks with 'dial health NAME'; register again after an expiry"});
    if (inst.lease && !(await this.client.keepAlive(inst.lease))) {
      throw new DialError('NOT_FOUND', `the lease of check '${checkId}' expired`, {hint: 'register the instance again'});
    }
    for (const c of inst.checks) if (c.id === checkId) Object.assign(c, {status, output: note});
    await this.client.put(key(inst.name, inst.id), JSON.stringify(inst), {ignoreLease: Boolean(inst.lease)});
  }

  watchService(name: string, opts: WatchOptions = {}): AsyncIterable<ServiceInstance[]> {
    return this.watchPrefix(`${SERVICES}${name}/`, () => this.discover(name), opts);
  }

  watchServices(opts: WatchOptions = {}): AsyncIterable<ServiceSummary[]> {
    return this.watchPrefix(SERVICES, () => this.services(), opts);
  }

  private async *watchPrefix<T>(prefix: string, take: () => Promise<T>, opts: WatchOptions): AsyncGenerator<T> {
    const {signal, abort, dispose} = abortAfter(opts.signal);
    const feed = new ChangeFeed();
    try {
      const {done} = await this.client.watch(prefix, () => feed.bump(), signal);
      done.catch((e: Error) => feed.fail(e));
      yield* snapshotsOf(feed, take, signal);
    } catch (e) {
      if (!opts.signal?.aborted) throw e;
    } finally {
      abort();
      dispose();
    }
  }

  async close(): Promise<void> {
    for (const t of this.keepers.values()) clearInterval(t);
    this.keepers.clear();
    await this.client.close();
  }
}

function key(name: string, id: string): string {
  return `${SERVICES}${name}/${id}`;
}

function toInstance(s: StoredInstance): ServiceInstance {
  const checks = s.checks.map(({ttl: _ttl, ...c}) => c);
  return {
    id: s.id, name: s.name, address: s.address, port: s.port, tags: s.tags ?? [], meta: s.meta ?? {},
    weights: s.weights ?? {passing: 1, warning: 1}, status: worstStatus(checks.map((c) => c.status)), checks,
  };
}

/** KV under dial/kv/: values as they are (etcdctl shows them), revisions as Consul indexes. Flags are not stored. */
class EtcdKv implements KvStore {
  constructor(private readonly client: EtcdClient) {}

  async get(k: string): Promise<KvEntry | undefined> {
    checkKvKey(k);
    const [kv] = await this.client.range(KV + k);
    return kv && entry(kv);
  }

  async list(prefix: string): Promise<KvEntry[]> {
    checkKvKey(prefix, true);
    return (await this.client.range(KV + prefix, {prefix: true})).map(entry);
  }

  async keys(prefix: string, separator?: string): Promise<string[]> {
    checkKvKey(prefix, true);
    const kvs = await this.client.range(KV + prefix, {prefix: true, keysOnly: true});
    return foldKeys(kvs.map((kv) => kv.key.slice(KV.length)), prefix, separator);
  }

  async put(k: string, value: Buffer, opts: KvPutOptions = {}): Promise<boolean> {
    checkKvKey(k);
    if (opts.cas !== undefined) return this.client.ifModRevision(KV + k, opts.cas, {put: value});
    await this.client.put(KV + k, value);
    return true;
  }

  async delete(k: string, opts: KvDeleteOptions = {}): Promise<boolean> {
    checkKvKey(k, Boolean(opts.recurse));
    if (opts.cas !== undefined && !opts.recurse) return this.client.ifModRevision(KV + k, opts.cas, {delete: true});
    await this.client.deleteRange(KV + k, Boolean(opts.recurse));
    return true;
  }
}

function entry(kv: {key: string; value: Buffer; createRevision: number; modRevision: number}): KvEntry {
  return {key: kv.key.slice(KV.length), value: kv.value, flags: 0, createIndex: kv.createRevision, modifyIndex: kv.modRevision};
}
