import {DialError, ExitCode, usageError} from '../../errors/index.js';
import type {Registry, ServiceInstance} from '../../registry/index.js';
import {clusterClientTls} from '../../tls/cluster-client.js';
import {tlsConnectionError} from '../../tls/handshake-errors.js';
import {instanceProtocol} from '../protocol.js';
import {resolveTarget, type ResolvedTarget} from '../target.js';
import type {TransportOptions} from '../transports.js';
import {urlTransport} from '../url-target.js';
import {isHttpMethod, isHttpProtocol, type HttpCallOptions, type HttpProtocolName, type ProtocolClient, type ProtocolOutcome} from './types.js';

const CLIENTS: Record<HttpProtocolName, () => Promise<ProtocolClient>> = {
  rest: async () => (await import('./rest.js')).restClient,
  'json-rpc': async () => (await import('./json-rpc.js')).jsonRpcClient,
  'xml-rpc': async () => (await import('./xml-rpc.js')).xmlRpcClient,
  soap: async () => (await import('./soap.js')).soapClient,
};

/** What the HTTP-based path needs from a `dial call` request. */
export interface HttpProtocolCall {
  target: string;
  method: string;
  messages: unknown[];
  /** For a URL target: the path the call planned (the JSON-RPC/XML-RPC/SOAP endpoint; '' for REST, whose path is in http.path). */
  targetPath?: string;
  headers?: [string, string][];
  timeoutMs?: number;
  transport?: TransportOptions;
  registry: () => Promise<Registry>;
  signal?: AbortSignal;
  /** --protocol, when given. */
  protocol?: string;
  http?: HttpCallOptions;
}

/**
 * The HTTP-based protocol a call uses when it is clear before asking the
 * registry: --protocol names one, or METHOD is an HTTP method (a REST call).
 * Undefined means gRPC (or: ask the registry when no gRPC instance exists).
 */
export function httpProtocolFor(protocol: string | undefined, method: string, path?: string): HttpProtocolName | undefined {
  const chosen = protocol !== undefined ? (isHttpProtocol(protocol) ? protocol : undefined) : isHttpMethod(method) ? 'rest' : undefined;
  if (path !== undefined && chosen !== 'rest') {
    throw usageError(`unexpected argument '${path}' after the method`, 'only REST calls take a path: dial call SERVICE GET /path');
  }
  return chosen;
}

function picker(protocol: HttpProtocolName | undefined, codec: string | undefined, service: string) {
  return (healthy: ServiceInstance[]): ServiceInstance => {
    let pool = healthy;
    if (!protocol) {
      const spoken = [...new Set(healthy.map((i) => instanceProtocol(i) ?? 'grpc'))];
      if (spoken.length > 1 || !isHttpProtocol(spoken[0])) {
        throw new DialError('AMBIGUOUS_PROTOCOL', `the healthy instances of '${service}' speak ${spoken.join(', ')}`, {
          hint: `choose one with --protocol (${spoken.join('|')})`, exitCode: ExitCode.Usage,
        });
      }
    }
    if (codec) {
      pool = healthy.filter((i) => (i.meta.codec ?? 'json') === codec);
      if (pool.length === 0) {
        throw new DialError('NO_MATCHING_INSTANCE', `no healthy instance of '${service}' uses the ${codec} codec (they use: ${[...new Set(healthy.map((i) => i.meta.codec ?? 'json'))].join(', ')})`, {
          hint: 'leave out --codec to use what the instance registered', exitCode: ExitCode.Failed,
        });
      }
    }
    return pool[Math.floor(Math.random() * pool.length)];
  };
}

function chosenInstance(target: ResolvedTarget): ServiceInstance | undefined {
  return target.candidates?.find((c) => c.id === target.via?.instance);
}

/**
 * Resolves the target (registry instances of `protocol`; with no protocol,
 * the one HTTP-based protocol the service's instances registered) and runs
 * the call with that protocol's client. Codec (REST) and WSDL (SOAP) come
 * from the flags, else from the chosen instance's metadata.
 */
export async function callHttpProtocol(protocol: HttpProtocolName | undefined, req: HttpProtocolCall): Promise<ProtocolOutcome> {
  const target = await resolveTarget(req.target, req.registry, {
    protocols: protocol ? [protocol] : undefined,
    pick: picker(protocol, req.http?.codec, req.target),
    signal: req.signal,
    path: req.targetPath,
  });
  const transport = target.scheme
    ? urlTransport(target.scheme, req.target, req.transport)
    : {...req.transport, tls: clusterClientTls(target.via?.registry, req.transport?.tls)};
  const meta = chosenInstance(target)?.meta ?? {};
  const name = protocol ?? (target.via?.protocol as HttpProtocolName);
  const client = await CLIENTS[name]();
  return client.call({
    ...req.http,
    codec: req.http?.codec ?? (name === 'rest' ? meta.codec : undefined),
    wsdl: req.http?.wsdl ?? (meta.wsdl?.startsWith('/') ? `${transport.tls ? 'https' : 'http'}://${target.hostPort}${meta.wsdl}` : meta.wsdl),
    target,
    method: req.method,
    messages: req.messages,
    headers: req.headers ?? [],
    timeoutMs: req.timeoutMs,
    transport,
    signal: req.signal,
  }).catch((e: unknown) => {
    throw (transport.tls && tlsConnectionError(e, target.hostPort, transport.tls)) || e;
  });
}
