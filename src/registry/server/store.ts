import type BetterSqlite3 from 'better-sqlite3';
import {createRequire} from 'node:module';
import type {CheckDefinition, HealthStatus} from '../types.js';

export interface StoredService {
  id: string;
  name: string;
  address: string;
  port: number;
  tags: string[];
  meta: Record<string, string>;
  weights: {passing: number; warning: number};
  createIndex: number;
  modifyIndex: number;
}

export interface StoredCheck {
  id: string;
  serviceId: string;
  name: string;
  type: string;
  definition: CheckDefinition;
  status: HealthStatus;
  output: string;
  notes: string;
  createIndex: number;
  modifyIndex: number;
  /** ms since epoch when the check turned critical, for DeregisterCriticalServiceAfter. */
  criticalSince: number | null;
}

interface ServiceRow {
  id: string; name: string; address: string; port: number; tags: string; meta: string; weights: string;
  create_index: number; modify_index: number;
}
interface CheckRow {
  id: string; service_id: string; name: string; type: string; definition: string; status: string; output: string;
  notes: string; create_index: number; modify_index: number; critical_since: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('index', 1);
CREATE TABLE IF NOT EXISTS services (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, port INTEGER NOT NULL,
  tags TEXT NOT NULL, meta TEXT NOT NULL, weights TEXT NOT NULL,
  create_index INTEGER NOT NULL, modify_index INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS services_by_name ON services (name);
CREATE TABLE IF NOT EXISTS checks (
  id TEXT PRIMARY KEY, service_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
  definition TEXT NOT NULL, status TEXT NOT NULL, output TEXT NOT NULL, notes TEXT NOT NULL,
  create_index INTEGER NOT NULL, modify_index INTEGER NOT NULL, critical_since INTEGER);
CREATE INDEX IF NOT EXISTS checks_by_service ON checks (service_id);
`;

/**
 * The daemon's durable state in SQLite (WAL, synchronous=FULL): a write is on
 * disk before it is acknowledged, so it survives kill -9. Every write bumps a
 * global index (Consul's X-Consul-Index / raft index).
 */
export class Store {
  readonly db: BetterSqlite3.Database;
  private readonly listeners = new Set<(index: number, ms: number) => void>();

  constructor(path: string) {
    const require = createRequire(import.meta.url);
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  /** The current global index. */
  index(): number {
    return (this.db.prepare("SELECT value FROM meta WHERE key = 'index'").get() as {value: number}).value;
  }

  /** Runs `fn` in one transaction with a fresh index; notifies watchers after commit. */
  write<T>(fn: (index: number) => T): T {
    const started = performance.now();
    const tx = this.db.transaction(() => {
      const {value} = this.db.prepare("UPDATE meta SET value = value + 1 WHERE key = 'index' RETURNING value").get() as {value: number};
      return {value, result: fn(value)};
    });
    const {value, result} = tx();
    const ms = performance.now() - started;
    for (const l of this.listeners) l(value, ms);
    return result;
  }

  /** Subscribes to committed writes (new index, ms the transaction took incl. fsync); returns an unsubscribe function. */
  onWrite(listener: (index: number, ms: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  upsertService(svc: Omit<StoredService, 'createIndex' | 'modifyIndex'>, checks: Omit<StoredCheck, 'createIndex' | 'modifyIndex'>[]): number {
    return this.write((index) => {
      const old = this.db.prepare('SELECT create_index FROM services WHERE id = ?').get(svc.id) as {create_index: number} | undefined;
      this.db.prepare(
        `INSERT OR REPLACE INTO services (id, name, address, port, tags, meta, weights, create_index, modify_index)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(svc.id, svc.name, svc.address, svc.port, JSON.stringify(svc.tags), JSON.stringify(svc.meta), JSON.stringify(svc.weights), old?.create_index ?? index, index);
      this.db.prepare('DELETE FROM checks WHERE service_id = ?').run(svc.id);
      for (const c of checks) this.insertCheck(c, index);
      return index;
    });
  }

  private insertCheck(c: Omit<StoredCheck, 'createIndex' | 'modifyIndex'>, index: number): void {
    this.db.prepare(
      `INSERT OR REPLACE INTO checks (id, service_id, name, type, definition, status, output, notes, create_index, modify_index, critical_since)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(c.id, c.serviceId, c.name, c.type, JSON.stringify(c.definition), c.status, c.output, c.notes, index, index, c.criticalSince);
  }

  /** Removes a service and its checks; false when it did not exist. */
  deleteService(id: string): boolean {
    if (!this.getService(id)) return false;
    this.write(() => {
      this.db.prepare('DELETE FROM checks WHERE service_id = ?').run(id);
      this.db.prepare('DELETE FROM services WHERE id = ?').run(id);
    });
    return true;
  }

  getService(id: string): StoredService | undefined {
    const row = this.db.prepare('SELECT * FROM services WHERE id = ?').get(id) as ServiceRow | undefined;
    return row ? serviceFromRow(row) : undefined;
  }

  listServices(name?: string): StoredService[] {
    const rows = (name === undefined
      ? this.db.prepare('SELECT * FROM services ORDER BY id').all()
      : this.db.prepare('SELECT * FROM services WHERE name = ? ORDER BY id').all(name)) as ServiceRow[];
    return rows.map(serviceFromRow);
  }

  listChecks(serviceId?: string): StoredCheck[] {
    const rows = (serviceId === undefined
      ? this.db.prepare('SELECT * FROM checks ORDER BY id').all()
      : this.db.prepare('SELECT * FROM checks WHERE service_id = ? ORDER BY id').all(serviceId)) as CheckRow[];
    return rows.map(checkFromRow);
  }

  getCheck(id: string): StoredCheck | undefined {
    const row = this.db.prepare('SELECT * FROM checks WHERE id = ?').get(id) as CheckRow | undefined;
    return row ? checkFromRow(row) : undefined;
  }

  /** Records a check result; writes (and bumps the index) only when status or output changed. */
  updateCheck(id: string, status: HealthStatus, output: string, now = Date.now()): boolean {
    const cur = this.getCheck(id);
    if (!cur || (cur.status === status && cur.output === output)) return false;
    const criticalSince = status === 'critical' ? (cur.criticalSince ?? now) : null;
    this.write((index) => {
      this.db.prepare('UPDATE checks SET status = ?, output = ?, modify_index = ?, critical_since = ? WHERE id = ?')
        .run(status, output, index, criticalSince, id);
    });
    return true;
  }

  close(): void {
    this.db.close();
  }
}

function serviceFromRow(r: ServiceRow): StoredService {
  return {
    id: r.id, name: r.name, address: r.address, port: r.port,
    tags: JSON.parse(r.tags) as string[], meta: JSON.parse(r.meta) as Record<string, string>,
    weights: JSON.parse(r.weights) as {passing: number; warning: number},
    createIndex: r.create_index, modifyIndex: r.modify_index,
  };
}

function checkFromRow(r: CheckRow): StoredCheck {
  return {
    id: r.id, serviceId: r.service_id, name: r.name, type: r.type,
    definition: JSON.parse(r.definition) as CheckDefinition, status: r.status as HealthStatus,
    output: r.output, notes: r.notes, createIndex: r.create_index, modifyIndex: r.modify_index,
    criticalSince: r.critical_since,
  };
}
