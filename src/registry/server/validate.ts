import type {CheckDefinition} from '../types.js';
import {checkFromConsul, type ConsulCheckDefinition, type ConsulServiceRegistration} from '../consul-json.js';
import {parseGoDuration} from '../../util/index.js';
import {HttpError} from './http-kit.js';

/** A JSON object's known fields, matched as Go's encoding/json matches struct fields, plus Consul's snake_case aliases. */
class Fields {
  private readonly byLower: Map<string, string>;

  constructor(readonly names: readonly string[], private readonly aliases: Record<string, string> = {}) {
    this.byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  }

  /**
   * The object with each key renamed to its field: an exact match first,
   * then an alias, then a case-insensitive match (Consul decodes with Go's
   * encoding/json, so {"name": "web"} is {"Name": "web"}; a later duplicate
   * wins, as in Go). A key that matches no field is a 400.
   */
  canonical(v: Record<string, unknown>, what: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      const name = this.names.includes(k) ? k : (this.aliases[k] ?? this.byLower.get(k.toLowerCase()));
      if (name === undefined) fail(`unknown ${what} '${k}'`);
      out[name] = val;
    }
    return out;
  }
}

const SERVICE_FIELDS = new Fields([
  'ID', 'Name', 'Tags', 'Address', 'Port', 'Meta', 'Weights', 'Check', 'Checks', 'EnableTagOverride', 'Kind',
  'TaggedAddresses', 'Namespace', 'Partition', 'SocketPath', 'Proxy', 'Connect',
], {enable_tag_override: 'EnableTagOverride', tagged_addresses: 'TaggedAddresses'});
const CHECK_FIELDS = new Fields([
  'CheckID', 'ID', 'Name', 'Notes', 'HTTP', 'Method', 'Header', 'Body', 'TCP', 'GRPC', 'GRPCUseTLS', 'TTL', 'Interval',
  'Timeout', 'DeregisterCriticalServiceAfter', 'Status', 'ServiceID', 'TLSSkipVerify', 'TLSServerName',
  'SuccessBeforePassing', 'FailuresBeforeCritical', 'FailuresBeforeWarning',
], {
  deregister_critical_service_after: 'DeregisterCriticalServiceAfter', grpc_use_tls: 'GRPCUseTLS', tls_skip_verify: 'TLSSkipVerify',
  tls_server_name: 'TLSServerName', service_id: 'ServiceID',
});
const WEIGHT_FIELDS = new Fields(['Passing', 'Warning']);

function fail(msg: string): never {
  throw new HttpError(400, `Invalid request: ${msg}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, field: string, max = 512): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(`${field} must be a string`);
  if (v.length > max) fail(`${field} is longer than ${max} characters`);
  return v;
}

/** A duration as Go's time.ParseDuration reads it (Consul's rule): "15" has no unit and is a 400. */
function duration(v: unknown, field: string): string | undefined {
  const s = str(v, field, 64);
  if (s === undefined || s === '') return undefined;
  if (parseGoDuration(s) === undefined) {
    fail(`${field} '${s}' is not a duration${/^\d+(\.\d+)?$/.test(s) ? ' (missing unit)' : ''}: write it like 10s, 1m30s or 500ms`);
  }
  return s;
}

/** Validates a service registration body as Consul does, with precise 400 messages. */
export function validateRegistration(body: unknown): ConsulServiceRegistration {
  if (!isObject(body)) fail('body must be a JSON object');
  const v = SERVICE_FIELDS.canonical(body, 'field');
  const name = str(v.Name, 'Name', 256);
  if (!name) fail('Name is required');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) fail(`Name '${name}' may hold only letters, digits, '.', '_' and '-'`);
  const id = str(v.ID, 'ID', 256);
  if (id !== undefined && (id === '' || /[/\s]/.test(id))) fail('ID must be non-empty, without spaces or slashes');
  const port = v.Port ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) fail('Port must be an integer 0..65535');
  const tags = v.Tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.length > 256)) fail('Tags must be an array of strings');
  const meta = v.Meta ?? {};
  if (!isObject(meta)) fail('Meta must be an object of strings');
  if (Object.keys(meta).length > 64) fail('Meta may hold at most 64 keys');
  for (const [k, val] of Object.entries(meta)) {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(k)) fail(`Meta key '${k}' is invalid`);
    if (typeof val !== 'string' || val.length > 512) fail(`Meta value of '${k}' must be a string of at most 512 characters`);
  }
  let weights: {Passing: number; Warning: number} | undefined;
  if (v.Weights !== undefined) {
    const w = isObject(v.Weights) ? WEIGHT_FIELDS.canonical(v.Weights, 'Weights field') : v.Weights;
    if (!isObject(w) || typeof w.Passing !== 'number' || w.Passing < 1 || !Number.isInteger(w.Passing)) fail('Weights.Passing must be an integer >= 1');
    const warning = w.Warning ?? 1;
    if (typeof warning !== 'number' || warning < 0 || !Number.isInteger(warning)) fail('Weights.Warning must be an integer >= 0');
    weights = {Passing: w.Passing, Warning: warning};
  }
  const checks: ConsulCheckDefinition[] = [];
  if (v.Check !== undefined && v.Check !== null) checks.push(validateCheck(v.Check));
  if (v.Checks !== undefined && v.Checks !== null) {
    if (!Array.isArray(v.Checks)) fail('Checks must be an array');
    for (const c of v.Checks) checks.push(validateCheck(c));
  }
  return {
    ID: id, Name: name, Tags: tags as string[], Address: str(v.Address, 'Address', 256) ?? '', Port: port,
    Meta: meta as Record<string, string>, Weights: weights, Checks: checks,
  };
}

/** Validates one check definition. */
export function validateCheck(body: unknown): ConsulCheckDefinition {
  if (!isObject(body)) fail('a check must be a JSON object');
  const v = CHECK_FIELDS.canonical(body, 'check field');
  const c: ConsulCheckDefinition = {
    CheckID: str(v.CheckID ?? v.ID, 'CheckID', 256),
    Name: str(v.Name, 'Name', 256),
    Notes: str(v.Notes, 'Notes', 1024),
    HTTP: str(v.HTTP, 'HTTP', 2048),
    TCP: str(v.TCP, 'TCP', 256),
    GRPC: str(v.GRPC, 'GRPC', 512),
    TTL: duration(v.TTL, 'TTL'),
    Interval: duration(v.Interval, 'Interval'),
    Timeout: duration(v.Timeout, 'Timeout'),
    DeregisterCriticalServiceAfter: duration(v.DeregisterCriticalServiceAfter, 'DeregisterCriticalServiceAfter'),
    ServiceID: str(v.ServiceID, 'ServiceID', 256),
  };
  if (v.GRPCUseTLS !== undefined) {
    if (typeof v.GRPCUseTLS !== 'boolean') fail('GRPCUseTLS must be a boolean');
    c.GRPCUseTLS = v.GRPCUseTLS;
  }
  const status = str(v.Status, 'Status', 16);
  if (status !== undefined && !['passing', 'warning', 'critical'].includes(status)) fail(`Status must be passing, warning or critical`);
  c.Status = status;
  const kinds = [c.HTTP, c.TCP, c.GRPC, c.TTL].filter(Boolean).length;
  if (kinds === 0) fail('a check needs one of HTTP, TCP, GRPC or TTL');
  if (kinds > 1) fail('a check may have only one of HTTP, TCP, GRPC or TTL');
  if (c.HTTP) {
    try {
      const u = new URL(c.HTTP);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    } catch {
      fail(`HTTP '${c.HTTP}' is not an http(s) URL`);
    }
  }
  if (c.TCP && !/^\[?[^\]\s]+\]?:\d{1,5}$/.test(c.TCP)) fail(`TCP '${c.TCP}' must be HOST:PORT`);
  if (c.GRPC && !/^\[?[^\]\s/]+\]?:\d{1,5}(\/\S*)?$/.test(c.GRPC)) fail(`GRPC '${c.GRPC}' must be HOST:PORT[/service]`);
  if ((c.HTTP || c.TCP || c.GRPC) && !c.Interval) fail('Interval is required for HTTP, TCP and GRPC checks');
  for (const f of ['TTL', 'Interval'] as const) if (c[f] !== undefined && parseGoDuration(c[f]) === 0) fail(`${f} must be more than 0`);
  return c;
}

/**
 * Validates a PUT /v1/agent/check/register body (Consul's CheckDefinition):
 * a check as in a service definition, plus a required Name; its ID defaults
 * to the Name, and ServiceID binds it to an instance.
 */
export function validateCheckRegistration(body: unknown): ConsulCheckDefinition & {CheckID: string; Name: string} {
  const c = validateCheck(body);
  if (!c.Name) throw new HttpError(400, 'Missing check name: a check needs a Name (its ID defaults to the Name)');
  return {...c, CheckID: c.CheckID || c.Name, Name: c.Name};
}

export function toCheckDefinition(c: ConsulCheckDefinition): CheckDefinition {
  return checkFromConsul(c);
}
