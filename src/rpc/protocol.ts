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
 * The protocols an instance speaks, from its registry metadata: `protocol`
 * (its main one) plus `protocols` (a comma-separated list, e.g. a server that
 * serves gRPC, gRPC-Web and Connect on one port).
 */
export function instanceProtocols(i: Pick<ServiceInstance, 'meta'>): string[] {
  const list = [i.meta.protocol, ...(i.meta.protocols ?? '').split(',')].map((s) => s?.trim()).filter((s): s is string => Boolean(s));
  return [...new Set(list)];
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
