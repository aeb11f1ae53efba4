import {DialError, ExitCode} from '../errors/index.js';
import type {ServiceInstance} from '../registry/index.js';
import type {ResolvedTarget} from './target.js';

/**
 * The gRPC family of protocols: gRPC, gRPC-Web and Connect share one engine
 * (src/rpc/grpc-family.ts). The HTTP-based protocols live in src/rpc/protocols/.
 */
export const GRPC_PROTOCOLS = ['grpc', 'grpc-web', 'connect'] as const;
export type GrpcProtocol = (typeof GRPC_PROTOCOLS)[number];

export function isGrpcProtocol(p: string): p is GrpcProtocol {
  return (GRPC_PROTOCOLS as readonly string[]).includes(p);
}

/**
 * Other spellings of dial's protocol names: `dial register --protocol` (and
 * Consul users) write http, jsonrpc, xmlrpc; dial calls them rest, json-rpc,
 * xml-rpc. Keys are lower case with '-', '_' and ' ' removed.
 */
const PROTOCOL_ALIASES: Record<string, string> = {
  grpc: 'grpc', grpcweb: 'grpc-web', connect: 'connect', connectrpc: 'connect',
  rest: 'rest', http: 'rest', https: 'rest',
  jsonrpc: 'json-rpc', jsonrpc2: 'json-rpc', jsonrpc20: 'json-rpc',
  xmlrpc: 'xml-rpc', soap: 'soap', soap11: 'soap', soap12: 'soap', thrift: 'thrift',
};

/** The aliases of the protocol names, for --help: 'http' -> 'rest' and so on. */
export const PROTOCOL_ALIAS_NAMES = ['http', 'jsonrpc', 'xmlrpc', 'grpcweb'] as const;

/**
 * dial's canonical name of a protocol (grpc, grpc-web, connect, rest,
 * json-rpc, xml-rpc, soap) from any usual spelling (jsonrpc, JSON-RPC, http,
 * xmlrpc, grpc_web ...); names dial does not know come back trimmed and lower case.
 */
export function normalizeProtocol(name: string): string {
  const lower = name.trim().toLowerCase();
  return PROTOCOL_ALIASES[lower.replace(/[-_ .]/g, '')] ?? lower;
}

/**
 * The protocols an instance speaks, from its registry metadata: `protocol`
 * (its main one) plus `protocols` (a comma-separated list, e.g. a server that
 * serves gRPC, gRPC-Web and Connect on one port), in dial's canonical names.
 */
export function instanceProtocols(i: Pick<ServiceInstance, 'meta'>): string[] {
  const list = [i.meta.protocol, ...(i.meta.protocols ?? '').split(',')].filter((s): s is string => Boolean(s?.trim())).map(normalizeProtocol);
  return [...new Set(list)];
}

/** The main protocol of an instance (metadata `protocol`, canonical name), or undefined when it registered none. */
export function instanceProtocol(i: Pick<ServiceInstance, 'meta'>): string | undefined {
  return i.meta.protocol?.trim() ? normalizeProtocol(i.meta.protocol) : undefined;
}

/**
 * The gRPC-family protocol of a call: --protocol when given, else the
 * resolved instance's registry metadata, else gRPC (HOST:PORT targets).
 */
export function chooseProtocol(requested: string | undefined, target: ResolvedTarget): string {
  const p = requested ?? target.via?.protocol ?? 'grpc';
  if (!isGrpcProtocol(p)) {
    throw new DialError('UNSUPPORTED_PROTOCOL', `'${p}' is not a gRPC protocol${requested ? '' : ` (the protocol of instance ${target.via?.instance})`}`, {
      hint: `pick one of ${GRPC_PROTOCOLS.join(', ')} with --protocol`,
      exitCode: requested ? ExitCode.Usage : ExitCode.Failed,
    });
  }
  return p;
}
