import type {JsonValue} from '@bufbuild/protobuf';
import {DialError, usageError} from '../errors/index.js';
import type {Registry} from '../registry/index.js';
import type {SchemaFiles} from './file-source.js';
import {refuseSchemaFiles, refuseThrift} from './schema-refusal.js';
import type {CallOutcome} from './grpc-call.js';
import {chooseProtocol, isGrpcProtocol, normalizeProtocol} from './protocol.js';
import {callHttpProtocol, httpProtocolFor} from './protocols/dispatch.js';
import type {HttpCallOptions, ProtocolOutcome} from './protocols/types.js';
import {isThriftSchema} from './thrift/names.js';
import type {ThriftCallOptions, ThriftOutcome} from './thrift/call.js';
import {targetTransport} from './cluster-tls.js';
import {resolveTarget} from './target.js';
import {planUrlCall} from './url-call.js';
import {isUrlTarget} from './url-target.js';
import type {TransportOptions} from './transports.js';

export interface CallRequest {
  /** HOST:PORT, unix:PATH, an http(s) URL, or a service name from the registry. */
  target: string;
  /** Optional only when a URL target names the method in its path (https://host/pkg.Service/Method). */
  method?: string;
  /** Request messages as JSON values; an async iterable (stdin) streams them to client and bidi streaming calls. */
  messages: unknown[] | AsyncIterable<unknown>;
  headers?: [string, string][];
  timeoutMs?: number;
  emitDefaults?: boolean;
  transport?: TransportOptions;
  /** --proto / --import-path / --protoset: the schema from files instead of server reflection. */
  schema?: SchemaFiles;
  /** --unix PATH: call over a unix socket. */
  unix?: string;
  /** Opens the registry when the target is a service name. */
  registry: () => Promise<Registry>;
  signal?: AbortSignal;
  onMessage?: (m: JsonValue) => void;
  /** Keep response messages in the outcome (default true); false when they are only printed as they arrive. */
  collect?: boolean;
  /** --protocol: grpc, grpc-web, connect, or an HTTP-based protocol (rest, json-rpc, xml-rpc, soap). Default: from the registry metadata. */
  protocol?: string;
  /** Options of the HTTP-based protocols (REST path and query, codec, WSDL). */
  http?: HttpCallOptions;
  /** Thrift: --schema FILE.thrift, -I, --thrift-transport, --thrift-protocol (src/rpc/thrift/). */
  thrift?: ThriftCallOptions;
}

/** The outcome of a call in any protocol. */
export type AnyCallOutcome = CallOutcome | ProtocolOutcome | ThriftOutcome;

async function collect(messages: unknown[] | AsyncIterable<unknown>): Promise<unknown[]> {
  if (Array.isArray(messages)) return messages;
  const out: unknown[] = [];
  for await (const m of messages) out.push(m);
  return out;
}

/**
 * `dial call` in any protocol: an HTTP-based one (src/rpc/protocols/) when
 * --protocol names it or METHOD is an HTTP method, else the gRPC family
 * (gRPC, gRPC-Web, Connect); a service with no gRPC instance is called in the
 * protocol its instances registered.
 */
export async function call(request: CallRequest): Promise<AnyCallOutcome> {
  // Any spelling of a protocol name (jsonrpc, http ...) is dial's canonical one; a WSDL means SOAP.
  const protocol = request.protocol !== undefined ? normalizeProtocol(request.protocol) : request.http?.wsdl !== undefined ? 'soap' : undefined;
  const thrift = async () => {
    // Thrift reads its own targets (HOST:PORT, a name, or an http(s) URL for THttpClient).
    const {callThrift} = await import('./thrift/call.js');
    const o = await callThrift({...request, method: requireMethod(request.method, request.target), messages: await collect(request.messages)});
    for (const m of o.messages) request.onMessage?.(m);
    return o;
  };
  if (protocol === 'thrift' || (protocol === undefined && isThriftSchema(request.thrift?.schema))) return thrift();
  const req = isUrlTarget(request.target) ? urlRequest({...request, protocol}) : {...request, protocol, method: requireMethod(request.method, request.target)};
  const http = httpProtocolFor(req.protocol, req.method, req.http?.path);
  const callHttp = async (protocol: typeof http) => {
    refuseSchemaFiles(req.schema, protocol ?? 'an HTTP-based protocol');
    const o = await callHttpProtocol(protocol, {...req, messages: await collect(req.messages)});
    for (const m of o.messages) req.onMessage?.(m);
    return o;
  };
  if (http) return callHttp(http);
  try {
    return await callGrpc(req);
  } catch (e) {
    if (req.protocol === undefined && (e as {code?: string}).code === 'NO_MATCHING_INSTANCE') {
      // No gRPC instance: the protocol the instances registered decides (Thrift, or the one HTTP-based protocol).
      const spoken = ((e as {details?: {protocols?: string[]}}).details?.protocols) ?? [];
      return spoken.length === 1 && spoken[0] === 'thrift' ? thrift() : callHttp(undefined);
    }
    throw e;
  }
}

/** A request whose method is known (from METHOD, or a URL target's path). */
type PlannedRequest = CallRequest & {method: string; targetPath?: string};

function requireMethod(method: string | undefined, target: string): string {
  if (method === undefined || method === '') {
    throw usageError(`no METHOD to call on ${target}`, `e.g. dial call ${target} pkg.Service/Method (or write the target as a URL that names it: https://host/pkg.Service/Method)`);
  }
  return method;
}

/** A URL target: the protocol, method and paths its parts say (src/rpc/url-call.ts). */
function urlRequest(req: CallRequest): PlannedRequest {
  if (req.unix !== undefined) throw usageError(`--unix cannot go with a URL target (${req.target})`, `write the target as unix:${req.unix}, or drop --unix`);
  const plan = planUrlCall(req.target, req.method, req.protocol, req.http?.path);
  return {
    ...req,
    protocol: plan.protocol,
    method: plan.method,
    targetPath: plan.targetPath,
    http: {...req.http, path: plan.restPath, wsdl: req.http?.wsdl ?? plan.wsdl},
  };
}

/**
 * The gRPC family: resolve the target (registry or HOST:PORT), pick the
 * protocol (--protocol, else the instance's metadata), connect, learn the
 * schema (reflection or files) and call.
 */
async function callGrpc(req: PlannedRequest): Promise<CallOutcome> {
  // Load the engine (connect, protobuf) while the registry is asked.
  refuseThrift(req.schema);
  const engine = import('./grpc-family.js');
  engine.catch(() => undefined);
  const target = await resolveTarget(req.target, req.registry, {protocols: [req.protocol ?? 'grpc'], signal: req.signal, unix: req.unix, path: req.targetPath});
  const protocol = chooseProtocol(req.protocol, target);
  if (!isGrpcProtocol(protocol)) throw new DialError('UNSUPPORTED_PROTOCOL', `no call engine for protocol '${protocol}'`);
  const {callGrpcFamily} = await engine;
  const {transport, refusal} = targetTransport(target, req.transport, req.signal);
  try {
    return await callGrpcFamily(protocol, target, {...req, transport});
  } catch (e) {
    throw refusal(e) || e;
  }
}
