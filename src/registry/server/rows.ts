/** The registry store's tables, row shapes and their conversion to dial's stored types. */
import type {CheckDefinition, HealthStatus, ServiceInstance} from '../types.js';

/** A registered instance as stored: ServiceInstance without the health the checks give it, plus its indexes. */
export interface StoredService extends Omit<ServiceInstance, 'status' | 'checks'> {
  createIndex: number;
  modifyIndex: number;
}

/** A service registered (service set; updated when it replaced one) or removed (previous set). */
export interface ServiceChange {
  id: string;
  service?: StoredService;
  updated?: boolean;
  previous?: StoredService;
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

export interface ServiceRow {
  id: string; name: string; address: string; port: number; tags: string; meta: string; weights: string;
  create_index: number; modify_index: number;
}
export interface CheckRow {
  id: string; service_id: string; name: string; type: string; definition: string; status: string; output: string;
  notes: string; create_index: number; modify_index: number; critical_since: number | null;
}

export const SCHEMA = `
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
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY, value BLOB NOT NULL, flags INTEGER NOT NULL,
  create_index INTEGER NOT NULL, modify_index INTEGER NOT NULL);
`;

export interface StoredKv {
  key: string;
  value: Buffer;
  flags: number;
  createIndex: number;
  modifyIndex: number;
}
export interface KvRow {
  key: string; value: Buffer; flags: number; create_index: number; modify_index: number;
}

export function serviceFromRow(r: ServiceRow): StoredService {
  return {
    id: r.id, name: r.name, address: r.address, port: r.port,
    tags: JSON.parse(r.tags) as string[], meta: JSON.parse(r.meta) as Record<string, string>,
    weights: JSON.parse(r.weights) as {passing: number; warning: number},
    createIndex: r.create_index, modifyIndex: r.modify_index,
  };
}

export function checkFromRow(r: CheckRow): StoredCheck {
  return {
    id: r.id, serviceId: r.service_id, name: r.name, type: r.type,
    definition: JSON.parse(r.definition) as CheckDefinition, status: r.status as HealthStatus,
    output: r.output, notes: r.notes, createIndex: r.create_index, modifyIndex: r.modify_index,
    criticalSince: r.critical_since,
  };
}

export function kvFromRow(r: KvRow): StoredKv {
  return {key: r.key, value: r.value, flags: r.flags, createIndex: r.create_index, modifyIndex: r.modify_index};
}
