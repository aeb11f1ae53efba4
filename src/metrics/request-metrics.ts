import client from 'prom-client';
import {LATENCY_BUCKETS, METRIC} from './names.js';

export interface RequestMetrics {
  /**
   * Marks a request as started; call the returned function when it ends with
   * its code (gRPC status name or HTTP status). `timed: false` counts it but
   * keeps it out of the latency histogram (blocking queries, streams).
   */
  start(method: string): (code: string, opts?: {timed?: boolean}) => void;
  /** Counts a health probe this server answered (gRPC health check, HTTP check path). */
  probe(result: 'ok' | 'error'): void;
}

/**
 * Requests by method and code, a latency histogram by method, in-flight
 * requests and health probes, registered on `registry` (prom-client's global
 * one by default, so other code in the process can add its own metrics).
 */
export function createRequestMetrics(registry: client.Registry = client.register): RequestMetrics {
  const requests = new client.Counter({
    name: METRIC.requests, help: 'Requests served, by method (RPC method, or HTTP method and route) and code (gRPC status name or HTTP status).',
    labelNames: ['method', 'code'], registers: [registry],
  });
  const duration = new client.Histogram({
    name: METRIC.duration, help: 'Request latency in seconds, by method.', labelNames: ['method'],
    buckets: LATENCY_BUCKETS, registers: [registry],
  });
  const inFlight = new client.Gauge({name: METRIC.inFlight, help: 'Requests being served now.', registers: [registry]});
  const probes = new client.Counter({
    name: METRIC.healthProbes, help: 'Health-check probes answered, by result.', labelNames: ['result'], registers: [registry],
  });
  return {
    start(method) {
      const started = performance.now();
      inFlight.inc();
      let done = false;
      return (code, opts) => {
        if (done) return;
        done = true;
        inFlight.dec();
        requests.inc({method, code});
        if (opts?.timed !== false) duration.observe({method}, (performance.now() - started) / 1000);
      };
    },
    probe(result) {
      probes.inc({result});
    },
  };
}
