import type {ConsulAgentService, ConsulHealthCheck, ConsulServiceEntry} from '../consul-json.js';
import type {StoredCheck, StoredService} from './store.js';

export const NODE_NAME = 'dial-local';
export const DATACENTER = 'dc1';
export const NODE_ID = '00000000-0000-4000-8000-0000000d1a10';

export function agentService(s: StoredService): ConsulAgentService {
  return {
    ID: s.id, Service: s.name, Tags: s.tags, Meta: s.meta, Port: s.port, Address: s.address,
    Weights: {Passing: s.weights.passing, Warning: s.weights.warning}, EnableTagOverride: false,
    Datacenter: DATACENTER, CreateIndex: s.createIndex, ModifyIndex: s.modifyIndex,
  };
}

export function healthCheck(c: StoredCheck, s: StoredService | undefined): ConsulHealthCheck {
  const d = c.definition;
  return {
    Node: NODE_NAME, CheckID: c.id, Name: c.name, Status: c.status, Notes: c.notes, Output: c.output,
    ServiceID: c.serviceId, ServiceName: s?.name ?? '', ServiceTags: s?.tags ?? [], Type: c.type,
    Definition: {
      ...(d.http ? {HTTP: d.http} : {}), ...(d.tcp ? {TCP: d.tcp} : {}), ...(d.grpc ? {GRPC: d.grpc} : {}),
      ...(d.ttl ? {TTL: d.ttl} : {}), ...(d.interval ? {Interval: d.interval} : {}), ...(d.timeout ? {Timeout: d.timeout} : {}),
      ...(d.deregisterCriticalServiceAfter ? {DeregisterCriticalServiceAfter: d.deregisterCriticalServiceAfter} : {}),
    },
    CreateIndex: c.createIndex, ModifyIndex: c.modifyIndex,
  };
}

export function serviceEntry(s: StoredService, checks: StoredCheck[]): ConsulServiceEntry {
  return {
    Node: {ID: NODE_ID, Node: NODE_NAME, Address: '127.0.0.1', Datacenter: DATACENTER, Meta: {}},
    Service: agentService(s),
    Checks: checks.map((c) => healthCheck(c, s)),
  };
}

/** /v1/catalog/service/:name entries. */
export function catalogEntry(s: StoredService) {
  return {
    ID: NODE_ID, Node: NODE_NAME, Address: '127.0.0.1', Datacenter: DATACENTER, TaggedAddresses: {lan: '127.0.0.1'},
    NodeMeta: {}, ServiceKind: '', ServiceID: s.id, ServiceName: s.name, ServiceTags: s.tags,
    ServiceAddress: s.address, ServicePort: s.port, ServiceMeta: s.meta, ServiceEnableTagOverride: false,
    ServiceWeights: {Passing: s.weights.passing, Warning: s.weights.warning},
    CreateIndex: s.createIndex, ModifyIndex: s.modifyIndex,
  };
}
