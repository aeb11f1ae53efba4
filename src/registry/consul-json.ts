/**
 * The Consul HTTP API's JSON shapes (PascalCase), and conversions to and from
 * dial's types. The embedded daemon writes these shapes and the client reads
 * them, so a real Consul agent and the daemon are interchangeable.
 */
import type {CheckDefinition, CheckStatus, HealthStatus, ServiceInstance, ServiceRegistration} from './types.js';
import {worstStatus} from './types.js';

export interface ConsulCheckDefinition {
  CheckID?: string;
  ID?: string;
  Name?: string;
  Notes?: string;
  HTTP?: string;
  Method?: string;
  TCP?: string;
  GRPC?: string;
  GRPCUseTLS?: boolean;
  TTL?: string;
  Interval?: string;
  Timeout?: string;
  DeregisterCriticalServiceAfter?: string;
  Status?: string;
  ServiceID?: string;
  TLSSkipVerify?: boolean;
}

export interface ConsulServiceRegistration {
  ID?: string;
  Name: string;
  Tags?: string[];
  Address?: string;
  Port?: number;
  Meta?: Record<string, string>;
  Weights?: {Passing: number; Warning: number};
  Check?: ConsulCheckDefinition;
  Checks?: ConsulCheckDefinition[];
}

export interface ConsulAgentService {
  ID: string;
  Service: string;
  Tags: string[];
  Meta: Record<string, string>;
  Port: number;
  Address: string;
  Weights: {Passing: number; Warning: number};
  EnableTagOverride: boolean;
  Datacenter: string;
  CreateIndex?: number;
  ModifyIndex?: number;
}

export interface ConsulHealthCheck {
  Node: string;
  CheckID: string;
  Name: string;
  Status: string;
  Notes: string;
  Output: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[];
  Type: string;
  Definition?: Record<string, unknown>;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface ConsulServiceEntry {
  Node: {ID: string; Node: string; Address: string; Datacenter: string; Meta?: Record<string, string>};
  Service: ConsulAgentService;
  Checks: ConsulHealthCheck[];
}

export function checkToConsul(c: CheckDefinition): ConsulCheckDefinition {
  const out: ConsulCheckDefinition = {};
  if (c.id) out.CheckID = c.id;
  if (c.name) out.Name = c.name;
  if (c.notes) out.Notes = c.notes;
  if (c.http) out.HTTP = c.http;
  if (c.tcp) out.TCP = c.tcp;
  if (c.grpc) out.GRPC = c.grpc;
  if (c.grpcUseTls) out.GRPCUseTLS = true;
  if (c.ttl) out.TTL = c.ttl;
  if (c.interval) out.Interval = c.interval;
  if (c.timeout) out.Timeout = c.timeout;
  if (c.deregisterCriticalServiceAfter) out.DeregisterCriticalServiceAfter = c.deregisterCriticalServiceAfter;
  if (c.status) out.Status = c.status;
  return out;
}

export function checkFromConsul(c: ConsulCheckDefinition): CheckDefinition {
  return {
    id: c.CheckID ?? c.ID,
    name: c.Name,
    notes: c.Notes,
    http: c.HTTP,
    tcp: c.TCP,
    grpc: c.GRPC,
    grpcUseTls: c.GRPCUseTLS,
    ttl: c.TTL,
    interval: c.Interval,
    timeout: c.Timeout,
    deregisterCriticalServiceAfter: c.DeregisterCriticalServiceAfter,
    status: c.Status as HealthStatus | undefined,
  };
}

export function registrationToConsul(reg: ServiceRegistration): ConsulServiceRegistration {
  const body: ConsulServiceRegistration = {Name: reg.name, Address: reg.address, Port: reg.port};
  if (reg.id) body.ID = reg.id;
  if (reg.tags?.length) body.Tags = reg.tags;
  if (reg.meta && Object.keys(reg.meta).length) body.Meta = reg.meta;
  if (reg.weights) body.Weights = {Passing: reg.weights.passing, Warning: reg.weights.warning};
  if (reg.checks?.length) body.Checks = reg.checks.map(checkToConsul);
  return body;
}

export function checkStatusFromConsul(c: ConsulHealthCheck): CheckStatus {
  return {
    id: c.CheckID,
    name: c.Name,
    serviceId: c.ServiceID,
    type: c.Type,
    status: normalizeStatus(c.Status),
    output: c.Output ?? '',
    ...(c.Notes ? {notes: c.Notes} : {}),
  };
}

/** A /v1/health/service entry -> an instance. Node-level checks count toward health, as in Consul. */
export function instanceFromEntry(e: ConsulServiceEntry): ServiceInstance {
  const checks = (e.Checks ?? []).map(checkStatusFromConsul);
  const s = e.Service;
  return {
    id: s.ID,
    name: s.Service,
    address: s.Address || e.Node.Address,
    port: s.Port,
    tags: s.Tags ?? [],
    meta: s.Meta ?? {},
    weights: {passing: s.Weights?.Passing ?? 1, warning: s.Weights?.Warning ?? 1},
    status: worstStatus(checks.map((c) => c.status)),
    checks,
  };
}

function normalizeStatus(s: string): HealthStatus {
  return s === 'passing' || s === 'warning' ? s : 'critical';
}
