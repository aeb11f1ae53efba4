import type * as Zk from 'node-zookeeper-client';
import {DialError, ExitCode} from '../errors/index.js';

/** node-zookeeper-client with promises, and its error codes as names. */
export class ZkClient {
  private constructor(readonly zk: typeof Zk, readonly client: Zk.Client, readonly hosts: string) {}

  /** Connects (or throws UNREACHABLE after `timeoutMs`); `onLost` runs when the session is lost later. */
  static async connect(hosts: string, timeoutMs: number, onLost: (e: DialError) => void): Promise<ZkClient> {
    const mod = await import('node-zookeeper-client');
    const zk = ((mod as unknown as {default?: typeof Zk}).default ?? mod) as typeof Zk;
    const client = zk.createClient(hosts, {sessionTimeout: 10_000, spinDelay: 200, retries: 1});
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new DialError('UNREACHABLE', `cannot reach ZooKeeper at ${hosts} (no session within ${timeoutMs / 1000}s)`, {
          exitCode: ExitCode.Unreachable, hint: 'check that ZooKeeper runs and listens there (clientPort in zoo.cfg)',
        }));
      }, timeoutMs);
      client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      client.connect();
    });
    const lost = (why: string) => onLost(new DialError('UNREACHABLE', `lost the ZooKeeper session at ${hosts} (${why})`, {exitCode: ExitCode.Unreachable, hint: 'check that ZooKeeper still runs'}));
    client.on('disconnected', () => lost('disconnected'));
    client.on('expired', () => lost('session expired'));
    return new ZkClient(zk, client, hosts);
  }

  /** True when the error is ZooKeeper's `name` (NO_NODE, NODE_EXISTS, BAD_VERSION, ...). */
  is(e: unknown, name: 'NO_NODE' | 'NODE_EXISTS' | 'BAD_VERSION' | 'NOT_EMPTY'): boolean {
    return typeof (e as Zk.Exception)?.getCode === 'function' && (e as Zk.Exception).getCode() === this.zk.Exception[name];
  }

  private cb<T>(run: (done: (err: Error | Zk.Exception | null, value?: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => run((err, value) => (err ? reject(this.wrap(err)) : resolve(value as T))));
  }

  private wrap(err: Error | Zk.Exception): Error {
    if (typeof (err as Zk.Exception).getCode === 'function') return err as Error;
    return new DialError('UNREACHABLE', `ZooKeeper at ${this.hosts}: ${(err as Error).message}`, {exitCode: ExitCode.Unreachable});
  }

  mkdirp(path: string): Promise<string> {
    return this.cb((d) => this.client.mkdirp(path, d));
  }

  create(path: string, data: Buffer, mode: 'persistent' | 'ephemeral-sequential'): Promise<string> {
    const m = mode === 'persistent' ? this.zk.CreateMode.PERSISTENT : this.zk.CreateMode.EPHEMERAL_SEQUENTIAL;
    return this.cb((d) => this.client.create(path, data, m, d));
  }

  /** Children names, or [] when the node does not exist; `watcher` fires once on the next change. */
  async children(path: string, watcher?: () => void): Promise<string[]> {
    try {
      return await this.cb<string[]>((d) => (watcher ? this.client.getChildren(path, watcher, d) : this.client.getChildren(path, d)));
    } catch (e) {
      if (!this.is(e, 'NO_NODE')) throw e;
      if (watcher) await this.cb((d) => this.client.exists(path, watcher, d));
      return [];
    }
  }

  /** The node's stat, or undefined when it does not exist; `watcher` fires once on its next change (deleted, data set). */
  async exists(path: string, watcher?: () => void): Promise<Zk.Stat | undefined> {
    const stat = await this.cb<Zk.Stat | null>((d) => (watcher ? this.client.exists(path, watcher, d) : this.client.exists(path, d)));
    return stat ?? undefined;
  }

  /** Calls `fn` if the session expires (its ephemeral znodes are then gone); returns a function that cancels it. */
  onExpired(fn: () => void): () => void {
    this.client.once('expired', fn);
    return () => void this.client.off('expired', fn);
  }

  /** Data and stat, or undefined when the node does not exist. */
  async get(path: string): Promise<{data: Buffer; stat: Zk.Stat} | undefined> {
    try {
      return await new Promise((resolve, reject) => this.client.getData(path, (err, data, stat) => (err ? reject(err) : resolve({data: data ?? Buffer.alloc(0), stat}))));
    } catch (e) {
      if (this.is(e, 'NO_NODE')) return undefined;
      throw this.wrap(e as Error);
    }
  }

  set(path: string, data: Buffer, version = -1): Promise<Zk.Stat> {
    return this.cb((d) => this.client.setData(path, data, version, d));
  }

  remove(path: string, version = -1): Promise<void> {
    return this.cb((d) => this.client.remove(path, version, d));
  }

  close(): void {
    this.client.removeAllListeners('disconnected');
    this.client.removeAllListeners('expired');
    this.client.close();
  }
}

/** A zxid (8 bytes, big-endian) as a number (Consul-style index). */
export function zxid(b: Buffer): number {
  return Number(Buffer.from(b).readBigUInt64BE(0));
}
