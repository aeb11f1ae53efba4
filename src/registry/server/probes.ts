import {connect as netConnect} from 'node:net';
import type {HealthStatus} from '../types.js';

export interface ProbeResult {
  status: HealthStatus;
  output: string;
}

export interface ProbeTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** HTTP check: 2xx passing, 429 warning, anything else critical (Consul's rule). */
export async function probeHttp(url: string, timeoutMs: number, tls?: ProbeTls): Promise<ProbeResult> {
  const {request, Agent} = await import('undici');
  const dispatcher = new Agent({connect: tls ? {ca: tls.ca, cert: tls.cert, key: tls.key} : undefined});
  try {
    const res = await request(url, {method: 'GET', dispatcher, signal: AbortSignal.timeout(timeoutMs), headers: {'user-agent': 'dial health check'}});
    const body = (await res.body.text()).slice(0, 4096);
    const output = `HTTP GET ${url}: ${res.statusCode} Output: ${body}`;
    if (res.statusCode >= 200 && res.statusCode < 300) return {status: 'passing', output};
    if (res.statusCode === 429) return {status: 'warning', output};
    return {status: 'critical', output};
  } catch (e) {
    return {status: 'critical', output: `HTTP GET ${url}: ${describe(e, timeoutMs)}`};
  } finally {
    await dispatcher.close();
  }
}

/** TCP check: passing when a connection opens within the timeout. */
export function probeTcp(hostPort: string, timeoutMs: number): Promise<ProbeResult> {
  const {host, port} = splitHostPort(hostPort);
  return new Promise((resolve) => {
    const sock = netConnect({host, port});
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({status: 'critical', output: `TCP connect ${hostPort}: timed out after ${timeoutMs}ms`});
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({status: 'passing', output: `TCP connect ${hostPort}: Success`});
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      resolve({status: 'critical', output: `TCP connect ${hostPort}: ${describe(e, timeoutMs)}`});
    });
  });
}

/** gRPC check: grpc.health.v1.Health/Check; SERVING is passing, anything else critical. */
export async function probeGrpc(target: string, timeoutMs: number, tls?: ProbeTls | false): Promise<ProbeResult> {
  const slash = target.indexOf('/');
  const hostPort = slash === -1 ? target : target.slice(0, slash);
  const service = slash === -1 ? '' : target.slice(slash + 1);
  const [{createClient}, {createGrpcTransport}, {Health, HealthCheckResponse_ServingStatus}] = await Promise.all([
    import('@connectrpc/connect'),
    import('@connectrpc/connect-node'),
    import('../../gen/grpc/health/v1/health_pb.js'),
  ]);
  const transport = createGrpcTransport({
    baseUrl: `${tls ? 'https' : 'http'}://${hostPort}`,
    nodeOptions: tls ? {ca: tls.ca, cert: tls.cert, key: tls.key} : undefined,
    idleConnectionTimeoutMs: 1_000,
  });
  try {
    const client = createClient(Health, transport);
    const res = await client.check({service}, {timeoutMs});
    const name = HealthCheckResponse_ServingStatus[res.status] ?? String(res.status);
    const output = `gRPC check ${target}: ${name}`;
    return {status: res.status === HealthCheckResponse_ServingStatus.SERVING ? 'passing' : 'critical', output};
  } catch (e) {
    return {status: 'critical', output: `gRPC check ${target}: ${describe(e, timeoutMs)}`};
  }
}

function describe(e: unknown, timeoutMs: number): string {
  const err = e as {code?: unknown; message?: string; name?: string; cause?: {code?: string}};
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `timed out after ${timeoutMs}ms`;
  const code = typeof err?.code === 'string' ? err.code : err?.cause?.code;
  return code ? `${code}: ${err?.message ?? ''}`.trim() : (err?.message ?? String(e));
}

export function splitHostPort(hostPort: string): {host: string; port: number} {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hostPort);
  if (!m) return {host: hostPort, port: NaN};
  return {host: m[1], port: Number(m[2])};
}
