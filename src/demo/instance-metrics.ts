/**
 * Every demo instance's /metrics: a small HTTP server on its own port (the
 * `metrics_port` registry metadata) with prom-client's global registry:
 * requests, latency, in-flight and health probes (HTTP servers of the
 * process are instrumented automatically; gRPC servers add
 * grpc-kit's metricsInterceptor), injected faults, and process metrics.
 */
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import client from 'prom-client';
import {instrumentHttpServers} from '../metrics/http-instrumentation.js';
import {createRequestMetrics, type RequestMetrics} from '../metrics/request-metrics.js';

let metrics: RequestMetrics | undefined;
let server: Server | undefined;
let port: number | undefined;

/** This process's request metrics (created once, on prom-client's global registry). */
export function instanceRequestMetrics(): RequestMetrics {
  metrics ??= createRequestMetrics(client.register);
  return metrics;
}

export interface InstanceMetricsOptions {
  id: string;
  kind: string;
  service: string;
  protocol: string;
  host: string;
  /** Path of the HTTP health check, so its probes are counted as probes. */
  checkPath?: string;
  faults: () => {latencyMs: number; errorRate: number; hang: boolean};
  log: (line: string) => void;
}

/** Starts the metrics endpoint once per process and returns its port. */
export async function startInstanceMetrics(opts: InstanceMetricsOptions): Promise<number> {
  if (port !== undefined) return port;
  const register = client.register;
  const requests = instanceRequestMetrics();
  client.collectDefaultMetrics({register});
  new client.Gauge({
    name: 'dial_instance_info', help: 'Identity of this demo instance (always 1).',
    labelNames: ['instance', 'kind', 'service', 'protocol'], registers: [register],
  }).set({instance: opts.id, kind: opts.kind, service: opts.service, protocol: opts.protocol}, 1);
  new client.Gauge({
    name: 'dial_fault_latency_seconds', help: 'Injected latency per request (dial instance fault).', registers: [register],
    collect() {
      this.set(opts.faults().latencyMs / 1000);
    },
  });
  new client.Gauge({
    name: 'dial_fault_error_rate', help: 'Injected error rate, 0..1.', registers: [register],
    collect() {
      this.set(opts.faults().errorRate);
    },
  });
  new client.Gauge({
    name: 'dial_fault_hang', help: '1 while the instance is made to hang.', registers: [register],
    collect() {
      this.set(opts.faults().hang ? 1 : 0);
    },
  });
  const srv = createServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') {
      register.metrics().then((text) => {
        res.writeHead(200, {'content-type': register.contentType, 'content-length': Buffer.byteLength(text)});
        res.end(text);
      }, (e: Error) => {
        res.writeHead(500, {'content-type': 'text/plain'});
        res.end(`metrics failed: ${e.message}`);
      });
      return;
    }
    res.writeHead(404, {'content-type': 'text/plain'});
    res.end('not found: this port serves GET /metrics\n');
  });
  server = srv;
  instrumentHttpServers({
    metrics: requests,
    include: (s) => s !== srv,
    isProbe: (_req, url) => opts.checkPath !== undefined && url.pathname === opts.checkPath,
    onTrace: opts.log,
  });
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, opts.host, () => resolve());
  });
  srv.unref();
  port = (srv.address() as AddressInfo).port;
  return port;
}

export function stopInstanceMetrics(): void {
  server?.close();
}
