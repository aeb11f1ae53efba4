import type BetterSqlite3 from 'better-sqlite3';
import type {HealthStatus} from '../types.js';
import {
  type CheckRow, checkFromRow, type KvRow, kvFromRow, SCHEMA, type ServiceChange, type ServiceRow, serviceFromRow,
  type StoredCheck, type StoredKv, type StoredService,
} from './rows.js';
import {openWalDatabase, type WalSync} from '../../util/wal-sync.js';

export type {ServiceChange, StoredCheck, StoredKv, StoredService} from './rows.js';

/**
 * The daemon's durable state in SQLite (WAL). Every write bumps a global
 * index (Consul's X-Consul-Index / raft index).
 *
 * Group commit with an asynchronous fsync, as etcd does: commit() queues a
 * write; queued writes run in one transaction (synchronous=NORMAL, so the
 * commit itself does not fsync), then an fdatasync of the WAL runs on libuv's
 * thread pool while the event loop keeps taking requests, and only when it
 * completes are the writes acknowledged. Writes that commit while one
 * fdatasync runs share the next one. So every acknowledged write is on disk
 * (it survives kill -9 and power loss), without one fsync per request.
 */
export class Store {
  readonly db: BetterSqlite3.Database;
  private readonly listeners = new Set<(index: number, ms: number) => void>();
  private readonly serviceListeners = new Set<(change: ServiceChange) => void>();
  private queue: {fn: (index: number) => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void}[] = [];
  private readonly wal: WalSync;

  constructor(path: string) {
    ({db: this.db, wal: this.wal} = openWalDatabase(path, SCHEMA));
    this.savepoint = this.db.transaction((fn: () => unknown) => fn());
    this.batchTx = this.db.transaction((batch: {fn: (index: number) => unknown}[]) => batch.map(this.runOne));
  }

  /** Runs fn in a nested transaction (a savepoint inside the batch): a throw undoes only its own changes. */
  private readonly savepoint: (fn: () => unknown) => unknown;
  private readonly batchTx: (batch: {fn: (index: number) => unknown}[]) => {ok: boolean; value: unknown; index: number}[];

  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  /** A prepared statement, compiled once per SQL text (preparing costs more than running most of them). */
  private sql(text: string): BetterSqlite3.Statement {
    let st = this.statements.get(text);
    if (!st) {
      st = this.db.prepare(text);
      this.statements.set(text, st);
    }
    return st;
  }

  /** The current global index. */
  index(): number {
    return (this.sql("SELECT value FROM meta WHERE key = 'index'").get() as {value: number}).value;
  }

  /** Runs `fn` in one transaction with a fresh index; notifies watchers after commit. */
  write<T>(fn: (index: number) => T): T {
    const started = performance.now();
    const tx = this.db.transaction(() => {
      const {value} = this.sql("UPDATE meta SET value = value + 1 WHERE key = 'index' RETURNING value").get() as {value: number};
      return {value, result: fn(value)};
    });
    const {value, result} = tx();
    const ms = performance.now() - started;
    for (const l of this.listeners) l(value, ms);
    return result;
  }

  /**
   * Queues `fn` for the next group commit; resolves with its result once the
   * transaction is durable. A throwing fn rolls back alone (a savepoint).
   */
  commit<T>(fn: (index: number) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({fn, resolve: resolve as (v: unknown) => void, reject});
    });
  }

  /** One queued write as a savepoint with a fresh index (created once: better-sqlite3 nests it in the batch). */
  private readonly runOne = (w: {fn: (index: number) => unknown}): {ok: boolean; value: unknown; index: number} => {
    try {
      let index = 0;
      const value = this.savepoint(() => {
        index = (this.sql("UPDATE meta SET value = value + 1 WHERE key = 'index' RETURNING value").get() as {value: number}).value;
        return w.fn(index);
      });
      return {ok: true, value, index};
    } catch (e) {
      return {ok: false, value: e, index: 0};
    }
  };

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const started = performance.now();
    let outcomes: {ok: boolean; value: unknown; index: number}[];
    try {
      outcomes = this.batchTx(batch);
    } catch (e) {
      for (const w of batch) w.reject(e);
      return;
    }
    const last = outcomes.reduce((m, o) => Math.max(m, o.index), 0);
    this.wal.after((err) => {
      batch.forEach((w, i) => (err ? w.reject(err) : outcomes[i].ok ? w.resolve(outcomes[i].value) : w.reject(outcomes[i].value)));
      if (!err && last) for (const l of this.listeners) l(last, performance.now() - started);
    });
  }

  /** Resolves once everything committed so far is on disk (e.g. before acknowledging a write made with write()). */
  durable(): Promise<void> {
    return new Promise((resolve, reject) => this.wal.after((err) => (err ? reject(err) : resolve())));
  }

  /** Subscribes to committed writes (new index, ms the transaction took incl. fsync); returns an unsubscribe function. */
  onWrite(listener: (index: number, ms: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to durable service registrations and removals (one call per service, after its fsync). */
  onServiceChange(listener: (change: ServiceChange) => void): () => void {
    this.serviceListeners.add(listener);
    return () => this.serviceListeners.delete(listener);
  }

  private serviceChanged(change: ServiceChange): void {
    for (const l of this.serviceListeners) l(change);
  }

  /**
   * Registers (or replaces) a service and its checks (group commit); resolves
   * with the write's index. The service's other checks stay unless
   * `replaceChecks` (Consul's ?replace-existing-checks).
   */
  async upsertService(svc: Omit<StoredService, 'createIndex' | 'modifyIndex'>, checks: Omit<StoredCheck, 'createIndex' | 'modifyIndex'>[], replaceChecks = true): Promise<number> {
    let updated = false;
    const index = await this.commit((index) => {
      const old = this.sql('SELECT create_index FROM services WHERE id = ?').get(svc.id) as {create_index: number} | undefined;
      updated = old !== undefined;
      this.sql(
        `INSERT OR REPLACE INTO services (id, name, address, port, tags, meta, weights, create_index, modify_index)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(svc.id, svc.name, svc.address, svc.port, JSON.stringify(svc.tags), JSON.stringify(svc.meta), JSON.stringify(svc.weights), old?.create_index ?? index, index);
      if (replaceChecks) this.sql('DELETE FROM checks WHERE service_id = ?').run(svc.id);
      for (const c of checks) this.insertCheck(c, index);
      return index;
    });
    this.serviceChanged({id: svc.id, service: {...svc, createIndex: index, modifyIndex: index}, updated});
    return index;
  }

  /**
   * Registers (or replaces) one check (agent/check/register; group commit).
   * A check that already exists keeps its status and output, as in Consul.
   * False when its serviceId names no service (checked in the same transaction).
   */
  upsertCheck(c: Omit<StoredCheck, 'createIndex' | 'modifyIndex'>): Promise<boolean> {
    return this.commit((index) => {
      if (c.serviceId && !this.sql('SELECT 1 FROM services WHERE id = ?').get(c.serviceId)) return false;
      const cur = this.getCheck(c.id);
      this.insertCheck(cur ? {...c, status: cur.status, output: cur.output, criticalSince: cur.criticalSince} : c, index);
      return true;
    });
  }

  /** Removes one check (group commit); false when it did not exist. */
  deleteCheck(id: string): Promise<boolean> {
    return this.commit(() => this.sql('DELETE FROM checks WHERE id = ?').run(id).changes > 0);
  }

  private insertCheck(c: Omit<StoredCheck, 'createIndex' | 'modifyIndex'>, index: number): void {
    this.sql(
      `INSERT OR REPLACE INTO checks (id, service_id, name, type, definition, status, output, notes, create_index, modify_index, critical_since)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(c.id, c.serviceId, c.name, c.type, JSON.stringify(c.definition), c.status, c.output, c.notes, index, index, c.criticalSince);
  }

  /** Removes a service and its checks (group commit); false when it did not exist. */
  async deleteService(id: string): Promise<boolean> {
    const svc = this.getService(id);
    if (!svc) return false;
    const gone = await this.commit(() => {
      this.sql('DELETE FROM checks WHERE service_id = ?').run(id);
      return this.sql('DELETE FROM services WHERE id = ?').run(id).changes > 0;
    });
    if (gone) this.serviceChanged({id, previous: svc});
    return gone;
  }

  getService(id: string): StoredService | undefined {
    const row = this.sql('SELECT * FROM services WHERE id = ?').get(id) as ServiceRow | undefined;
    return row ? serviceFromRow(row) : undefined;
  }

  listServices(name?: string): StoredService[] {
    const rows = (name === undefined
      ? this.sql('SELECT * FROM services ORDER BY id').all()
      : this.sql('SELECT * FROM services WHERE name = ? ORDER BY id').all(name)) as ServiceRow[];
    return rows.map(serviceFromRow);
  }

  listChecks(serviceId?: string): StoredCheck[] {
    const rows = (serviceId === undefined
      ? this.sql('SELECT * FROM checks ORDER BY id').all()
      : this.sql('SELECT * FROM checks WHERE service_id = ? ORDER BY id').all(serviceId)) as CheckRow[];
    return rows.map(checkFromRow);
  }

  getCheck(id: string): StoredCheck | undefined {
    const row = this.sql('SELECT * FROM checks WHERE id = ?').get(id) as CheckRow | undefined;
    return row ? checkFromRow(row) : undefined;
  }

  /** Records a check result; writes (and bumps the index) only when status or output changed. */
  updateCheck(id: string, status: HealthStatus, output: string, now = Date.now()): boolean {
    const cur = this.getCheck(id);
    if (!cur || (cur.status === status && cur.output === output)) return false;
    const criticalSince = status === 'critical' ? (cur.criticalSince ?? now) : null;
    this.write((index) => {
      this.sql('UPDATE checks SET status = ?, output = ?, modify_index = ?, critical_since = ? WHERE id = ?')
        .run(status, output, index, criticalSince, id);
    });
    return true;
  }

  getKv(key: string): StoredKv | undefined {
    const row = this.sql('SELECT * FROM kv WHERE key = ?').get(key) as KvRow | undefined;
    return row ? kvFromRow(row) : undefined;
  }

  /** Entries whose key starts with `prefix`, sorted by key. */
  listKv(prefix: string): StoredKv[] {
    const rows = this.sql("SELECT * FROM kv WHERE substr(key, 1, length(?)) = ? ORDER BY key").all(prefix, prefix) as KvRow[];
    return rows.map(kvFromRow);
  }

  listKvKeys(prefix: string): string[] {
    return (this.sql("SELECT key FROM kv WHERE substr(key, 1, length(?)) = ? ORDER BY key").all(prefix, prefix) as {key: string}[]).map((r) => r.key);
  }

  /** Writes a KV entry (group commit); false when the CAS index did not match. */
  putKv(key: string, value: Buffer, opts: {cas?: number; flags?: number}): Promise<boolean> {
    return this.commit((index) => {
      const cur = this.getKv(key);
      if (opts.cas !== undefined && (cur?.modifyIndex ?? 0) !== opts.cas) return false;
      this.sql('INSERT OR REPLACE INTO kv (key, value, flags, create_index, modify_index) VALUES (?, ?, ?, ?, ?)')
        .run(key, value, opts.flags ?? cur?.flags ?? 0, cur?.createIndex ?? index, index);
      return true;
    });
  }

  /** Deletes a key or a prefix (group commit); false when the CAS index did not match. */
  deleteKv(key: string, opts: {recurse?: boolean; cas?: number}): Promise<boolean> {
    return this.commit(() => {
      if (opts.recurse) {
        this.sql('DELETE FROM kv WHERE substr(key, 1, length(?)) = ?').run(key, key);
        return true;
      }
      if (opts.cas !== undefined && (this.getKv(key)?.modifyIndex ?? 0) !== opts.cas) return false;
      this.sql('DELETE FROM kv WHERE key = ?').run(key);
      return true;
    });
  }

  close(): void {
    this.flush();
    this.wal.close();
    this.db.close();
  }
}

