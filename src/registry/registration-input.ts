import {usageError} from '../errors/index.js';
import {parseDuration, toGoDuration} from '../util/index.js';
import type {CheckDefinition, ServiceRegistration} from './types.js';

/** What `dial register` collects from its flags. */
export interface RegistrationInput {
  name: string;
  address: string;
  port: number;
  id?: string;
  tags?: string[];
  /** k=v strings */
  meta?: string[];
  protocol?: string;
  weight?: number;
  checkHttp?: string;
  checkTcp?: string;
  checkGrpc?: string;
  checkTtl?: string;
  interval?: string;
  timeout?: string;
  deregisterAfter?: string;
}

const NAME_RE = /^[A-Za-z0-9._-]{1,256}$/;

/** Turns flag values into a registration, with usage errors that name the flag. */
export function buildRegistration(input: RegistrationInput): ServiceRegistration {
  if (!NAME_RE.test(input.name)) throw usageError(`service name '${input.name}' may hold only letters, digits, '.', '_' and '-'`);
  if (input.address.trim() === '') throw usageError('--address is empty', 'give the host or IP the instance listens on, e.g. --address 127.0.0.1 (the default)');
  if (input.id !== undefined && (input.id === '' || /[/\s]/.test(input.id))) throw usageError(`--id '${input.id}' must be non-empty, without spaces or slashes`);
  const meta: Record<string, string> = {};
  for (const kv of input.meta ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw usageError(`--meta '${kv}' is not KEY=VALUE`, 'e.g. --meta version=1.2 --meta zone=a');
    const key = kv.slice(0, eq);
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(key)) throw usageError(`--meta key '${key}' may hold only letters, digits, '_' and '-'`);
    meta[key] = kv.slice(eq + 1);
  }
  if (input.protocol) meta.protocol = input.protocol;
  if (input.weight !== undefined) meta.weight = String(input.weight);
  for (const f of ['interval', 'timeout', 'deregisterAfter'] as const) {
    const v = input[f];
    if (v !== undefined && parseDuration(v) === undefined) throw usageError(`--${f === 'deregisterAfter' ? 'deregister-after' : f}: '${v}' is not a duration`, 'write it like 500ms, 10s or 1m');
  }
  if (input.interval !== undefined && !parseDuration(input.interval)) throw usageError(`--interval: '${input.interval}' is not a positive duration`, 'e.g. --interval 10s');
  if (input.checkTtl !== undefined && !parseDuration(input.checkTtl)) throw usageError(`--check-ttl: '${input.checkTtl}' is not a positive duration`, 'e.g. --check-ttl 15s');
  if (input.checkHttp !== undefined) {
    if (!URL.canParse(input.checkHttp) || !['http:', 'https:'].includes(new URL(input.checkHttp).protocol)) throw usageError(`--check-http '${input.checkHttp}' is not an http(s) URL`, 'e.g. --check-http http://127.0.0.1:8080/health');
  }
  if (input.checkTcp !== undefined && !/^\[?[^\]\s]+\]?:\d{1,5}$/.test(input.checkTcp)) throw usageError(`--check-tcp '${input.checkTcp}' is not HOST:PORT`);
  if (input.checkGrpc !== undefined && !/^\[?[^\]\s/]+\]?:\d{1,5}(\/\S*)?$/.test(input.checkGrpc)) throw usageError(`--check-grpc '${input.checkGrpc}' is not HOST:PORT[/service]`);
  if (input.deregisterAfter !== undefined && !input.checkHttp && !input.checkTcp && !input.checkGrpc && !input.checkTtl) {
    throw usageError('--deregister-after needs a check: it removes the instance after its check stayed critical that long', 'add --check-http, --check-tcp, --check-grpc or --check-ttl');
  }
  // The registry API takes Go durations ("15" is an error there); dial's flags also take bare seconds.
  const common = {
    ...(input.deregisterAfter ? {deregisterCriticalServiceAfter: toGoDuration(input.deregisterAfter)} : {}),
  };
  const probe = {interval: toGoDuration(input.interval ?? '10s'), ...(input.timeout ? {timeout: toGoDuration(input.timeout)} : {}), ...common};
  const checks: CheckDefinition[] = [];
  if (input.checkHttp) checks.push({http: input.checkHttp, ...probe});
  if (input.checkTcp) checks.push({tcp: input.checkTcp, ...probe});
  if (input.checkGrpc) checks.push({grpc: input.checkGrpc, ...probe});
  if (input.checkTtl) checks.push({ttl: toGoDuration(input.checkTtl), ...common});
  return {
    name: input.name,
    address: input.address,
    port: input.port,
    ...(input.id ? {id: input.id} : {}),
    ...(input.tags?.length ? {tags: input.tags} : {}),
    ...(Object.keys(meta).length ? {meta} : {}),
    ...(input.weight !== undefined ? {weights: {passing: input.weight, warning: 1}} : {}),
    ...(checks.length ? {checks} : {}),
  };
}

/** The check IDs a registration gets (Consul's naming: service:ID, or service:ID:N for several). */
export function checkIdsOf(id: string, reg: ServiceRegistration): string[] {
  const n = reg.checks?.length ?? 0;
  return (reg.checks ?? []).map((c, i) => c.id ?? (n > 1 ? `service:${id}:${i + 1}` : `service:${id}`));
}
