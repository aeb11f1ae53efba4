import {DialError, ExitCode, usageError} from '../errors/index.js';
import type {Registry, ServiceInstance} from '../registry/index.js';
import {didYouMean} from '../util/index.js';
import {instanceProtocol, instanceProtocols, normalizeProtocol} from './protocol.js';
import {isUrlTarget, parseUrlTarget} from './url-target.js';

/** Where a call goes, and how dial found it. */
export interface ResolvedTarget {
  host: string;
  port: number;
  /** host:port as written in URLs ([::1]:50051 for IPv6); unix:PATH for unix sockets. */
  hostPort: string;
  /** A unix socket path (--unix PATH, or a unix:PATH target). */
  unix?: string;
  /** With --unix PATH: the TARGET written beside it, which names the :authority; for a URL target its host (without a default port). */
  authority?: string;
  /** A URL target's scheme: https means TLS, http plaintext (src/rpc/url-target.ts). */
  scheme?: 'http' | 'https';
  /**
   * The path of a URL target (with its query), or the registry metadata
   * `path` of the chosen instance: the endpoint of JSON-RPC, XML-RPC and
   * SOAP, the base of REST paths and of gRPC-family method paths.
   */
  path?: string;
  /** Set when the target came from the registry. */
  via?: {service: string; instance: string; protocol?: string; registry: string};
  /** Every candidate instance (for balancing), when resolved through the registry. */
  candidates?: ServiceInstance[];
  resolveMs: number;
}

const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

/** True when the text is HOST:PORT rather than a service name. */
export function isHostPort(text: string): boolean {
  return HOST_PORT.test(text);
}

/** True when the text is an address rather than a service name: HOST:PORT, unix:PATH, or a URL (scheme://...). */
export function isAddress(text: string): boolean {
  return isHostPort(text) || isUrlTarget(text) || text.startsWith('unix:');
}

export function parseHostPort(text: string): {host: string; port: number; hostPort: string} {
  const m = HOST_PORT.exec(text);
  if (!m) throw usageError(`'${text}' is not HOST:PORT`, 'e.g. 127.0.0.1:50051 or [::1]:50051');
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw usageError(`port ${port} in '${text}' is out of range`, 'ports are 1..65535');
  const host = m[1] ?? m[2];
  return {host, port, hostPort: m[1] ? `[${host}]:${port}` : `${host}:${port}`};
}

export interface ResolveOptions {
  /** Only instances whose metadata protocol is one of these (instances without it always match). */
  protocols?: string[];
  /** Picks one instance among the healthy candidates; default random. */
  pick?: (candidates: ServiceInstance[]) => ServiceInstance;
  signal?: AbortSignal;
  /** --unix PATH: call over this unix socket (the target then only names the authority). */
  unix?: string;
  /** For a URL target: the path the call planned (src/rpc/url-call.ts) in place of the URL's ('' for none). */
  path?: string;
}

/** Resolves HOST:PORT directly, or a service name through the registry (healthy instances only). */
export async function resolveTarget(target: string, registry: () => Promise<Registry>, opts: ResolveOptions = {}): Promise<ResolvedTarget> {
  const started = performance.now();
  const unix = opts.unix ?? (target.startsWith('unix:') ? target.slice(5).replace(/^\/\/(?=\/)/, '') : undefined);
  if (unix !== undefined) {
    if (!unix) throw usageError(`'${target}' names no socket path`, 'e.g. unix:/tmp/server.sock or --unix /tmp/server.sock');
    const authority = opts.unix !== undefined && target && !target.startsWith('unix:') ? target : undefined;
    return {host: 'localhost', port: 0, hostPort: `unix:${unix}`, unix, ...(authority ? {authority} : {}), resolveMs: performance.now() - started};
  }
  if (isHostPort(target)) return {...parseHostPort(target), resolveMs: performance.now() - started};
  if (isUrlTarget(target)) {
    const {scheme, host, port, hostPort, authority, path: urlPath} = parseUrlTarget(target);
    const path = opts.path ?? urlPath;
    return {host, port, hostPort, authority, scheme, ...(path ? {path} : {}), resolveMs: performance.now() - started};
  }
  if (!/^[A-Za-z0-9._-]+$/.test(target)) {
    throw usageError(`'${target}' is neither HOST:PORT, a URL nor a service name`, "e.g. 'greeter', 127.0.0.1:50051, http://127.0.0.1:8080/RPC2 or unix:/tmp/server.sock");
  }
  const reg = await registry();
  const all = await reg.discover(target, {signal: opts.signal});
  if (all.length === 0) {
    const names = (await reg.services()).map((s) => s.name);
    throw new DialError('SERVICE_NOT_FOUND', `no service '${target}' in the registry at ${reg.url}${didYouMean(target, names)}`, {
      hint: names.length ? `registered services: ${names.join(', ')}` : "nothing is registered; 'dial cluster up' starts the demo services",
      exitCode: ExitCode.Failed,
    });
  }
  const protocolOk = (i: ServiceInstance) => {
    const speaks = instanceProtocols(i);
    return !opts.protocols || speaks.length === 0 || opts.protocols.some((p) => speaks.includes(normalizeProtocol(p)));
  };
  const speaking = all.filter(protocolOk);
  if (speaking.length === 0) {
    const have = [...new Set(all.map((i) => instanceProtocol(i) ?? 'no protocol'))];
    throw new DialError('NO_MATCHING_INSTANCE', `service '${target}' has no ${opts.protocols?.join('/')} instance (it has: ${have.join(', ')})`, {
      hint: 'pick the protocol with --protocol',
      exitCode: ExitCode.Failed,
      // The protocols the instances registered: a call without --protocol follows them (src/rpc/call.ts).
      details: {protocols: have},
    });
  }
  const healthy = speaking.filter((i) => i.status === 'passing');
  if (healthy.length === 0) {
    throw new DialError('NO_HEALTHY_INSTANCE', `service '${target}' has ${speaking.length} instance(s) but none is healthy`, {
      hint: `see 'dial discover ${target}' for their checks`,
      exitCode: ExitCode.Unreachable,
    });
  }
  const chosen = opts.pick ? opts.pick(healthy) : healthy[Math.floor(Math.random() * healthy.length)];
  const hp = parseHostPort(`${chosen.address.includes(':') ? `[${chosen.address}]` : chosen.address}:${chosen.port}`);
  const path = chosen.meta.path?.trim();
  return {
    ...hp,
    ...(path ? {path: path.startsWith('/') ? path : `/${path}`} : {}),
    via: {service: target, instance: chosen.id, protocol: instanceProtocol(chosen), registry: reg.url},
    candidates: healthy,
    resolveMs: performance.now() - started,
  };
}
