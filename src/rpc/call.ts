import type {JsonValue} from '@bufbuild/protobuf';
import type {Registry} from '../registry/index.js';
import {grpcCall, type CallOutcome} from './grpc-call.js';
import {callHttpProtocol, httpProtocolFor, type HttpCallOptions, type ProtocolOutcome} from './protocols/index.js';
import {ReflectionSource} from './reflection-source.js';
import {resolveTarget} from './target.js';
import {grpcTransport, type TransportOptions} from './transports.js';

export interface CallRequest {
  /** HOST:PORT or a service name from the registry. */
  target: string;
  method: string;
  messages: unknown[];
  headers?: [string, string][];
  timeoutMs?: number;
  emitDefaults?: boolean;
  transport?: TransportOptions;
  /** Opens the registry when the target is a service name. */
  registry: () => Promise<Registry>;
  signal?: AbortSignal;
  onMessage?: (m: JsonValue) => void;
  /** --protocol: grpc, or an HTTP-based protocol (rest, json-rpc, xml-rpc, soap). Default: from the registry metadata. */
  protocol?: string;
  /** Options of the HTTP-based protocols (REST path and query, codec, WSDL). */
  http?: HttpCallOptions;
}

/** The outcome of a call in any protocol. */
export type AnyCallOutcome = CallOutcome | ProtocolOutcome;

/**
 * `dial call` in any protocol: an HTTP-based one (src/rpc/protocols/) when
 * --protocol names it or METHOD is an HTTP method, else gRPC; a service with
 * no gRPC instance is called in the protocol its instances registered.
 */
export async function call(req: CallRequest): Promise<AnyCallOutcome> {
  const http = httpProtocolFor(req.protocol, req.method, req.http?.path);
  const onMessage = (o: ProtocolOutcome) => {
    for (const m of o.messages) req.onMessage?.(m);
    return o;
  };
  if (http) return onMessage(await callHttpProtocol(http, req));
  try {
    return await callGrpc(req);
  } catch (e) {
    if (req.protocol === undefined && (e as {code?: string}).code === 'NO_MATCHING_INSTANCE') return onMessage(await callHttpProtocol(undefined, req));
    throw e;
  }
}

/**
 * `dial call`: resolve the target (registry or HOST:PORT), learn the schema by
 * server reflection, encode the JSON request, call, and return the outcome.
 */
async function callGrpc(req: CallRequest): Promise<CallOutcome> {
  const target = await resolveTarget(req.target, req.registry, {protocols: ['grpc'], signal: req.signal});
  const {transport, close} = await grpcTransport(target, req.transport);
  const source = new ReflectionSource(transport, target.hostPort, undefined, req.signal);
  try {
    return await grpcCall({
      target, transport, source, method: req.method, messages: req.messages, headers: req.headers,
      timeoutMs: req.timeoutMs, emitDefaults: req.emitDefaults, signal: req.signal, onMessage: req.onMessage,
    });
  } finally {
    await source.close();
    close();
  }
}
