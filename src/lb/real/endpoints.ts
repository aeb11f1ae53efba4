import {DialError, ExitCode, usageError} from '../../errors/index.js';
import type {Registry, ServiceInstance} from '../../registry/index.js';
import {instanceProtocol, isHostPort, parseHostPort} from '../../rpc/index.js';
import type {Endpoint} from '../types.js';

/** A real instance to call. */
export interface InstanceEndpoint extends Endpoint {
  /** host:port as a gRPC target. */
  address: string;
  /** The instance's metadata `path`: a base path before /pkg.Service/Method. */
  path?: string;
}

/** True when the target is HOST:PORT or a comma-separated list of them. */
export function isDirect(target: string): boolean {
  return target.split(',').every((t) => isHostPort(t.trim()));
}

/** HOST:PORT[,HOST:PORT...] as endpoints of weight 1. */
export function directEndpoints(target: string): InstanceEndpoint[] {
  const list = target.split(',').map((t) => parseHostPort(t.trim()).hostPort);
  if (new Set(list).size !== list.length) throw usageError(`'${target}' names an address twice`);
  return list.map((address) => ({id: address, address, weight: 1}));
}

/** The weight an instance advertises: Meta.weight, else Weights.Passing, else 1. */
export function instanceWeight(i: ServiceInstance): number {
  const meta = Number(i.meta.weight);
  if (meta > 0 && Number.isFinite(meta)) return meta;
  return i.weights?.passing > 0 ? i.weights.passing : 1;
}

/** The healthy gRPC instances of a service as endpoints (throws when there are none). */
export async function discoverEndpoints(registry: Registry, service: string, signal?: AbortSignal): Promise<InstanceEndpoint[]> {
  if (!/^[A-Za-z0-9._-]+$/.test(service)) throw usageError(`'${service}' is neither HOST:PORT nor a service name`, "e.g. 'greeter' or 127.0.0.1:50051");
  const all = await registry.discover(service, {signal});
  if (all.length === 0) {
    throw new DialError('SERVICE_NOT_FOUND', `no service '${service}' in the registry at ${registry.url}`, {hint: "see 'dial services'", exitCode: ExitCode.Failed});
  }
  const grpc = all.filter((i) => (instanceProtocol(i) ?? 'grpc') === 'grpc');
  const healthy = grpc.filter((i) => i.status === 'passing');
  if (healthy.length === 0) {
    throw new DialError('NO_HEALTHY_INSTANCE', `service '${service}' has no healthy gRPC instance (${grpc.length} gRPC of ${all.length} instances)`, {
      hint: `see 'dial discover ${service}' for their checks`,
      exitCode: ExitCode.Unreachable,
    });
  }
  return healthy.map((i) => {
    const path = i.meta.path?.trim().replace(/\/+$/, '');
    return {id: i.id, address: `${i.address.includes(':') ? `[${i.address}]` : i.address}:${i.port}`, weight: instanceWeight(i), ...(path ? {path: path.startsWith('/') ? path : `/${path}`} : {})};
  });
}
