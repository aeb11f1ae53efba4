import type {JsonValue} from '../../codecs/types.js';
import {usageError} from '../../errors/index.js';
import type {Registry, ServiceInstance} from '../../registry/index.js';
import {targetTransport} from '../cluster-tls.js';
import type {ConnectionInfo} from '../connection.js';
import {resolveTarget, type ResolvedTarget} from '../target.js';
import type {TransportOptions} from '../transports.js';
import {exchange, type ExchangeRequest} from './channel.js';
import {replyOutcome} from './reply.js';
import {findThriftFunction, loadThriftSchema} from './schema.js';
import {parseThriftUrl} from './url.js';
import {argsJson, thriftStack, wantsTls, type ThriftCallOptions} from './options.js';
import {encodeCall, type ThriftProtocolName, type ThriftTransportName} from './wire.js';

export type {ThriftCallOptions} from './options.js';

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
  const {transport, protocol, path} = thriftStack(opts, meta, target.via?.instance, url ? {text: req.target, path: url.path} : undefined);

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
  const useTls = url ? url.tls || t?.tls !== undefined : wantsTls(target, t);
  const info: ConnectionInfo = {address: target.hostPort};
  const resolveMs = target.resolveMs;
  const exchangeReq: ExchangeRequest = {
    target, transport, protocol, path, tls: useTls ? (t?.tls ?? {}) : undefined, authority: t?.authority, headers: req.headers, userAgent: t?.userAgent,
    connectTimeoutMs: t?.connectTimeoutMs, timeoutMs: req.timeoutMs, signal: req.signal, message, oneway: fn.oneway, result: fn.result, info,
  };
  const result = await exchange(exchangeReq).catch((e: unknown) => {
    throw refusal(e) || e;
  });

  const {status, messages} = replyOutcome(fn, service.name, result);
  const requestHeaders: Record<string, string> = transport === 'http' ? {...exchangeReq.sentHeaders, ...Object.fromEntries(req.headers ?? [])} : {};
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
