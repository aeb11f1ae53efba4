import type {JsonValue} from '../../codecs/types.js';
import {DialError, ExitCode, grpcStatusForHttpTransport, grpcStatusName, usageError} from '../../errors/index.js';
import type {Registry, ServiceInstance} from '../../registry/index.js';
import {targetTransport} from '../cluster-tls.js';
import type {ConnectionInfo} from '../connection.js';
import {resolveTarget, type ResolvedTarget} from '../target.js';
import {isLocal, type TransportOptions} from '../transports.js';
import {exchange} from './channel.js';
import {statusForApplicationException} from './errors.js';
import {findThriftFunction, loadThriftSchema, type ThriftFunction} from './schema.js';
import {parseThriftUrl} from './url.js';
import {encodeCall, THRIFT_PROTOCOLS, THRIFT_TRANSPORTS, type ThriftProtocolName, type ThriftTransportName} from './wire.js';

/** The Thrift flags of `dial call`: --schema, -I, --thrift-transport, --thrift-protocol. */
export interface ThriftCallOptions {
  /** FILE.thrift (default: the instance's registry metadata thrift_idl). */
  schema?: string;
  importPaths?: string[];
  transport?: string;
  protocol?: string;
}

export interface ThriftCallRequest {
  /** HOST:PORT, http(s)://HOST:PORT/PATH, unix:PATH, or a service name. */
  target: string;
  method: string;
  messages: unknown[];
  headers?: [string, string][];
  timeoutMs?: number;
  transport?: TransportOptions;
  unix?: string;
  registry: () => Promise<Registry>;
  signal?: AbortSignal;
  thrift?: ThriftCallOptions;
  /** Picks among the healthy instances (balanced runs); default random. */
  pick?: (candidates: ServiceInstance[]) => ServiceInstance;
}

/** The outcome of a Thrift call: the shape of the other protocols' outcomes, plus the Thrift stack used. */
export interface ThriftOutcome {
  target: string;
  via?: ResolvedTarget['via'];
  /** Service.method as the IDL names it (Service:method when multiplexed). */
  method: string;
  kind: 'unary' | 'oneway';
  protocol: 'thrift';
  codec: string;
  schema: string;
  connection: ConnectionInfo;
  thrift: {transport: ThriftTransportName; protocol: ThriftProtocolName; multiplexed: boolean; messageName: string; url?: string; httpStatus?: number};
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  /** The return value (none for void and oneway functions). */
  messages: JsonValue[];
  trailers: Record<string, string>;
  /** 0 OK; a declared exception is UNKNOWN with the exception (its type in @type) in details; a TApplicationException maps by its type. */
  status: {code: number; name: string; message: string; details?: unknown[]};
  timing: {resolveMs: number; dnsMs?: number; tcpMs?: number; tlsMs?: number; schemaMs: number; firstByteMs?: number; firstMessageMs?: number; totalMs: number};
}

function pickName<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], from: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toLowerCase() as T;
  if (!allowed.includes(v)) {
    throw new DialError('USAGE', `${from} '${value}' is not a Thrift ${flag}`, {hint: `use one of ${allowed.join(', ')}`, exitCode: from.startsWith('--') ? ExitCode.Usage : ExitCode.Failed});
  }
  return v;
}

/** The JSON of -d as the `_args` struct: an object of the arguments by name, or, for a function of one struct argument, that struct's fields. */
function argsJson(fn: ThriftFunction, messages: unknown[]): unknown {
  if (messages.length > 1) throw usageError(`-d holds ${messages.length} JSON values; a Thrift call takes one object of arguments`, `e.g. -d '{"${fn.args.fields[0]?.name ?? 'arg'}": ...}'`);
  const v = messages[0] ?? {};
  const only = fn.args.fields.length === 1 ? fn.args.fields[0] : undefined;
  if (only?.type.kind === 'struct' && typeof v === 'object' && v !== null && !Array.isArray(v) && !(only.name in v)) {
    const fields = new Set(only.type.struct().fields.map((f) => f.name));
    const keys = Object.keys(v);
    if (keys.length > 0 && keys.every((k) => fields.has(k))) return {[only.name]: v};
  }
  return v;
}

/**
 * `dial call` in Thrift: resolves the target (a thrift instance from the
 * registry, HOST:PORT, or an http(s) URL), reads the IDL (--schema, else the
 * instance's thrift_idl), encodes the arguments with the JSON mapping of
 * `dial codec`, sends the call over the framed/buffered socket or HTTP in the
 * binary/compact/JSON protocol (flags, else the instance's metadata, else
 * framed + binary) and decodes the result.
 */
export async function callThrift(req: ThriftCallRequest): Promise<ThriftOutcome> {
  const started = performance.now();
  const opts = req.thrift ?? {};
  const url = parseThriftUrl(req.target);
  const target: ResolvedTarget = url?.target
    ?? await resolveTarget(req.target, req.registry, {protocols: ['thrift'], signal: req.signal, unix: req.unix, pick: req.pick});
  const meta = target.candidates?.find((c) => c.id === target.via?.instance)?.meta ?? {};
  const where = target.via ? `metadata of instance ${target.via.instance}:` : '';
  const transport = pickName('transport', opts.transport, THRIFT_TRANSPORTS, '--thrift-transport')
    ?? (url ? 'http' : pickName('transport', meta.thrift_transport, THRIFT_TRANSPORTS, `${where} thrift_transport`)) ?? 'framed';
  const protocol = pickName('protocol', opts.protocol, THRIFT_PROTOCOLS, '--thrift-protocol') ?? pickName('protocol', meta.thrift_protocol, THRIFT_PROTOCOLS, `${where} thrift_protocol`) ?? 'binary';
  if (url && transport !== 'http') throw usageError(`a URL target (${req.target}) is called over HTTP, not the ${transport} transport`, `leave out --thrift-transport, or give HOST:PORT for a ${transport} socket`);
  const path = url?.path ?? (transport === 'http' ? meta.thrift_path ?? meta.path ?? '/' : undefined);

  const file = opts.schema ?? meta.thrift_idl;
  if (!file) {
    throw usageError('Thrift has no server reflection: dial needs the IDL', `pass --schema FILE.thrift (and -I DIR for its includes)${target.via ? `, or register the instance with metadata thrift_idl=FILE` : ''}`);
  }
  const s0 = performance.now();
  const schema = await loadThriftSchema(file, opts.importPaths);
  const {fn, service, ref} = findThriftFunction(schema, req.method);
  const baseService = service.name.slice(service.name.lastIndexOf('.') + 1);
  const messageName = ref.multiplexed ? `${baseService}:${fn.name}` : fn.name;
  const message = encodeCall(protocol, messageName, fn.args, argsJson(fn, req.messages), fn.oneway, 0);
  const schemaMs = performance.now() - s0;

  const {transport: t, refusal} = targetTransport(target, req.transport, req.signal);
  const useTls = url ? url.tls || t?.tls !== undefined : t?.security === 'tls' || (t?.security !== 'plaintext' && (t?.tls !== undefined || !isLocal(target)));
  const info: ConnectionInfo = {address: target.hostPort};
  const resolveMs = target.resolveMs;
  const result = await exchange({
    target, transport, protocol, path, tls: useTls ? (t?.tls ?? {}) : undefined, authority: t?.authority, headers: req.headers, userAgent: t?.userAgent,
    connectTimeoutMs: t?.connectTimeoutMs, timeoutMs: req.timeoutMs, signal: req.signal, message, oneway: fn.oneway, result: fn.result, info,
  }).catch((e: unknown) => {
    throw refusal(e) || e;
  });

  let status: ThriftOutcome['status'] = {code: 0, name: 'OK', message: ''};
  const messages: JsonValue[] = [];
  const reply = result.reply;
  if (result.http && result.http.status !== 200) {
    const code = grpcStatusForHttpTransport(result.http.status);
    status = {code, name: grpcStatusName(code), message: `HTTP ${result.http.status} ${result.http.statusText} from ${result.http.url}`};
  } else if (reply?.kind === 'exception') {
    const code = statusForApplicationException(reply.type);
    status = {code, name: grpcStatusName(code), message: `TApplicationException ${reply.typeName}: ${reply.message}`, details: [{'@type': 'TApplicationException', type: reply.typeName, message: reply.message}]};
  } else if (reply) {
    const declared = fn.throws.find((x) => reply.result[x.field] !== undefined);
    if (declared) {
      status = {code: 2, name: 'UNKNOWN', message: `${service.name}.${fn.name} threw ${declared.type}`, details: [{'@type': declared.type, ...(reply.result[declared.field] as Record<string, JsonValue>)}]};
    } else if (reply.result.success !== undefined) {
      messages.push(reply.result.success);
    } else if (fn.returns !== 'void') {
      status = {code: 13, name: 'INTERNAL', message: `${service.name}.${fn.name} returned no result (MISSING_RESULT)`};
    }
  }
  const requestHeaders: Record<string, string> = Object.fromEntries(transport === 'http' ? [['content-type', 'application/x-thrift'], ...(req.headers ?? [])] : []);
  const totalMs = performance.now() - started;
  return {
    target: target.hostPort, ...(target.via ? {via: target.via} : {}),
    method: `${service.name}${ref.multiplexed ? ':' : '.'}${fn.name}`, kind: fn.oneway ? 'oneway' : 'unary', protocol: 'thrift', codec: `thrift-${protocol}`,
    schema: `IDL ${file}`, connection: info,
    thrift: {transport, protocol, multiplexed: ref.multiplexed, messageName, ...(result.http ? {url: result.http.url, httpStatus: result.http.status} : {})},
    requestHeaders, responseHeaders: result.http?.headers ?? {}, messages, trailers: {}, status,
    timing: {
      resolveMs, dnsMs: info.dnsMs, tcpMs: info.tcpMs, tlsMs: info.tlsMs, schemaMs, firstByteMs: result.firstByteMs,
      ...(messages.length ? {firstMessageMs: totalMs} : {}), totalMs,
    },
  };
}
