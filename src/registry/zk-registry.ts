import {DialError, ExitCode, usageError} from '../errors/index.js';
import {ChangeFeed, snapshotsOf} from './change-feed.js';
import {checkKvKey, foldKeys} from './kv-keys.js';
import {
  checksOf, type DiscoverOptions, type KvDeleteOptions, type KvEntry, type KvPutOptions, type KvStore, type Registry,
  type ServiceCheck, type ServiceInstance, type ServiceRegistration, type ServiceSummary, summarize, type WatchOptions,
} from './types.js';
import {ZkClient, zxid} from './zk-client.js';

const ROOT = '/dial/services';
const KV_ROOT = '/dial/kv';
type Ls = (path: string) => Promise<string[]>;

/**
 * ZooKeeper as a registry: each instance is an ephemeral sequential znode
 * /dial/services/NAME/inst-NNNNNNNNNN holding JSON, alive exactly as long as
 * the registering client's session (health = session alive), so `dial
 * register` holds it in the foreground. Watches are ZooKeeper child watchers.
 * KV keys are persistent znodes /dial/kv/<url-encoded key>, with zxids as
 * Consul-style indexes and znode versions for check-and-set.
 */
export class ZookeeperRegistry implements Registry {
  readonly sessionBound = true;
  readonly kv: KvStore;
  private conn?: Promise<ZkClient>;
  private readonly feeds = new Set<ChangeFeed>();
  /** The znode of each instance registered through this client (for untilDeregistered). */
  private readonly own = new Map<string, string>();

  constructor(readonly url: string, private readonly hosts: string[], private readonly connectTimeoutMs = 5_000) {
    this.kv = new ZkKv(() => this.client());
  }

  private client(): Promise<ZkClient> {
    this.conn ??= ZkClient.connect(this.hosts.join(','), this.connectTimeoutMs, (e) => {
      for (const f of this.feeds) f.fail(e);
    });
    return this.conn;
  }

  async register(reg: ServiceRegistration): Promise<string> {
    if (reg.checks?.length) {
      throw usageError('ZooKeeper registrations have no checks: an instance is healthy while its session lives', 'drop the --check-* flags, or use the dial/Consul registry (checks) or etcd (TTL)');
    }
    const c = await this.client();
    const id = reg.id ?? reg.name;
    for (const old of await this.nodes(c, (i) => i.id === id)) await c.remove(old.path).catch(() => undefined);
    await c.mkdirp(`${ROOT}/${reg.name}`);
    const data = {id, name: reg.name, address: reg.address, port: reg.port, tags: reg.tags ?? [], meta: reg.meta ?? {}, weights: reg.weights ?? {passing: 1, warning: 1}};
    this.own.set(id, await c.create(`${ROOT}/${reg.name}/inst-`, Buffer.from(JSON.stringify(data)), 'ephemeral-sequential'));
    return id;
  }

  /**
   * Resolves true once the znode of instance `id` (registered through this
   * client) is deleted while the session lives: `dial deregister` from
   * elsewhere, or the same ID registered again. Resolves false when `signal`
   * aborts; rejects when the session expires (ZooKeeper then removed the znode).
   */
  async untilDeregistered(id: string, signal: AbortSignal): Promise<boolean> {
    const path = this.own.get(id);
    if (!path) throw new DialError('NOT_FOUND', `no instance '${id}' was registered through this client`);
    const c = await this.client();
    return new Promise<boolean>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        offExpired();
        signal.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => settle(() => resolve(false));
      const offExpired = c.onExpired(() => settle(() => reject(new DialError('UNREACHABLE', `the ZooKeeper session at ${this.hosts.join(',')} expired, and with it the registration of '${id}'`, {
        exitCode: ExitCode.Unreachable, hint: 'register again once ZooKeeper is reachable',
      }))));
      signal.addEventListener('abort', onAbort, {once: true});
      if (signal.aborted) return onAbort();
      // A watch fires once per change: look again (and re-arm it) until the znode is gone.
      const look = () => {
        if (settled) return;
        c.exists(path, look).then((stat) => stat || settle(() => resolve(true)), (e: unknown) => settle(() => reject(e)));
      };
      look();
    });
  }

  async deregister(id: string): Promise<void> {
    const c = await this.client();
    const found = await this.nodes(c, (i) => i.id === id);
    if (found.length === 0) throw new DialError('NOT_FOUND', `no instance with id '${id}'`, {hint: "list ids with 'dial discover NAME'"});
    for (const n of found) await c.remove(n.path).catch((e: unknown) => (c.is(e, 'NO_NODE') ? undefined : Promise.reject(e)));
  }

  /** Every instance znode (optionally filtered), read with `ls` (which may arm watchers). */
  private async nodes(c: ZkClient, pred: (i: ServiceInstance) => boolean = () => true, ls: Ls = (p) => c.children(p), names?: string[]) {
    const out: {path: string; inst: ServiceInstance}[] = [];
    for (const name of names ?? (await ls(ROOT))) {
      for (const child of await ls(`${ROOT}/${name}`)) {
        const path = `${ROOT}/${name}/${child}`;
        const got = await c.get(path);
        if (!got) continue;
        try {
          const d = JSON.parse(got.data.toString()) as Omit<ServiceInstance, 'status' | 'checks'>;
          const inst: ServiceInstance = {...d, status: 'passing', checks: [{id: `session:${d.id}`, name: 'ZooKeeper session', serviceId: d.id, type: 'session', status: 'passing', output: `ephemeral znode ${path}`}]};
          if (pred(inst)) out.push({path, inst});
        } catch {
          // a znode dial did not write: skip
        }
      }
    }
    return out.sort((a, b) => a.inst.id.localeCompare(b.inst.id));
  }

  async services(): Promise<ServiceSummary[]> {
    const c = await this.client();
    return summarize((await this.nodes(c)).map((n) => n.inst));
  }

  async discover(name: string, opts: DiscoverOptions = {}): Promise<ServiceInstance[]> {
    return this.discoverWith(await this.client(), name, opts);
  }

  private async discoverWith(c: ZkClient, name: string, opts: DiscoverOptions = {}, ls?: Ls): Promise<ServiceInstance[]> {
    return (await this.nodes(c, (i) => !opts.tag || i.tags.includes(opts.tag), ls, [name])).map((n) => n.inst);
  }

  async health(name: string): Promise<ServiceCheck[]> {
    return checksOf(await this.discover(name));
  }

  async updateCheck(checkId: string): Promise<void> {
    throw new DialError('NOT_SUPPORTED', `ZooKeeper has no TTL checks to report ('${checkId}'): an instance is healthy while its session lives`, {
      hint: 'use etcd:// (leases) or the dial/Consul registry for TTL checks',
    });
  }

  watchService(name: string, opts: WatchOptions = {}): AsyncIterable<ServiceInstance[]> {
    return this.watchTree((c, ls) => this.discoverWith(c, name, {}, ls), opts);
  }

  watchServices(opts: WatchOptions = {}): AsyncIterable<ServiceSummary[]> {
    return this.watchTree(async (c, ls) => summarize((await this.nodes(c, undefined, ls)).map((n) => n.inst)), opts);
  }

  /** Snapshots re-read after any child watcher armed by the last read fires. */
  private async *watchTree<T>(take: (c: ZkClient, ls: Ls) => Promise<T>, opts: WatchOptions): AsyncGenerator<T> {
    const c = await this.client();
    const feed = new ChangeFeed();
    const armed = new Set<string>();
    const ls: Ls = (path) => {
      if (armed.has(path)) return c.children(path);
      armed.add(path);
      return c.children(path, () => {
        armed.delete(path);
        feed.bump();
      });
    };
    this.feeds.add(feed);
    try {
      yield* snapshotsOf(feed, () => take(c, ls), opts.signal);
    } finally {
      this.feeds.delete(feed);
    }
  }

  async close(): Promise<void> {
    if (!this.conn) return;
    const c = await this.conn.catch(() => undefined);
    c?.close();
  }
}

/** Keys as url-encoded znode names under /dial/kv (flat, so prefixes need no tree walk). */
const node = (key: string) => `${KV_ROOT}/${encodeURIComponent(key).replace(/\./g, '%2E')}`;

class ZkKv implements KvStore {
  constructor(private readonly client: () => Promise<ZkClient>) {}

  async get(key: string): Promise<KvEntry | undefined> {
    checkKvKey(key);
    const got = await (await this.client()).get(node(key));
    return got && {key, value: got.data, flags: 0, createIndex: zxid(got.stat.czxid), modifyIndex: zxid(got.stat.mzxid)};
  }

  private async allKeys(prefix: string): Promise<string[]> {
    return (await (await this.client()).children(KV_ROOT)).map((n) => decodeURIComponent(n)).filter((k) => k.startsWith(prefix)).sort();
  }

  async list(prefix: string): Promise<KvEntry[]> {
    checkKvKey(prefix, true);
    const out: KvEntry[] = [];
    for (const k of await this.allKeys(prefix)) {
      const e = await this.get(k);
      if (e) out.push(e);
    }
    return out;
  }

  async keys(prefix: string, separator?: string): Promise<string[]> {
    checkKvKey(prefix, true);
    return foldKeys(await this.allKeys(prefix), prefix, separator);
  }

  async put(key: string, value: Buffer, opts: KvPutOptions = {}): Promise<boolean> {
    checkKvKey(key);
    const c = await this.client();
    const path = node(key);
    if (opts.cas === 0) return this.create(c, path, value);
    if (opts.cas !== undefined) {
      const cur = await c.get(path);
      if (!cur || zxid(cur.stat.mzxid) !== opts.cas) return false;
      return c.set(path, value, cur.stat.version).then(() => true, (e: unknown) => (c.is(e, 'BAD_VERSION') || c.is(e, 'NO_NODE') ? false : Promise.reject(e)));
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await c.set(path, value);
        return true;
      } catch (e) {
        if (!c.is(e, 'NO_NODE')) throw e;
      }
      if (await this.create(c, path, value)) return true;
    }
    throw new DialError('REGISTRY_ERROR', `could not write '${key}': it kept being created and deleted concurrently`);
  }

  private async create(c: ZkClient, path: string, value: Buffer): Promise<boolean> {
    await c.mkdirp(KV_ROOT);
    return c.create(path, value, 'persistent').then(() => true, (e: unknown) => (c.is(e, 'NODE_EXISTS') ? false : Promise.reject(e)));
  }

  async delete(key: string, opts: KvDeleteOptions = {}): Promise<boolean> {
    checkKvKey(key, Boolean(opts.recurse));
    const c = await this.client();
    const gone = (e: unknown) => (c.is(e, 'NO_NODE') ? undefined : Promise.reject(e));
    if (opts.recurse) {
      for (const k of await this.allKeys(key)) await c.remove(node(k)).catch(gone);
      return true;
    }
    if (opts.cas !== undefined) {
      const cur = await c.get(node(key));
      if (!cur || zxid(cur.stat.mzxid) !== opts.cas) return false;
      return c.remove(node(key), cur.stat.version).then(() => true, (e: unknown) => (c.is(e, 'BAD_VERSION') || c.is(e, 'NO_NODE') ? false : Promise.reject(e)));
    }
    await c.remove(node(key)).catch(gone);
    return true;
  }
}
