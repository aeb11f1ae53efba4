import type {IncomingMessage} from 'node:http';
import client from 'prom-client';
import type {Router} from '../registry/server/http-kit.js';
import type {DaemonContext} from '../runtime/daemon/extensions.js';
import {instrumentHttpServers} from './http-instrumentation.js';
import {LATENCY_BUCKETS} from './names.js';
import {createRequestMetrics} from './request-metrics.js';

/**
 * The daemon's /metrics (Prometheus text, prom-client's global registry so
 * every extension can add metrics): registry API requests by route and
 * status with latency and in-flight, health-check results, registry size and
 * write latency, supervised instances, and Node process metrics. Requests
 * that carry a W3C traceparent are logged with their trace id.
 */
export async function startDaemonMetrics(ctx: DaemonContext): Promise<{stop: () => Promise<void>}> {
  const register = client.register;
  client.collectDefaultMetrics({register});
  const store = ctx.server.store;
  const metrics = createRequestMetrics(register);
  const uninstrument = instrumentHttpServers({
    metrics,
    label: (req, url) => routeLabel(ctx.server.router, req, url),
    untimed: (_req, url) => url.searchParams.has('index') || url.searchParams.has('wait') || url.pathname.startsWith('/v1/dial/events'),
    onTrace: (line) => ctx.log(line),
  });

  new client.Gauge({
    name: 'dial_registry_services', help: 'Distinct service names in the registry.', registers: [register],
    collect() {
      this.set(new Set(store.listServices().map((s) => s.name)).size);
    },
  });
  new client.Gauge({
    name: 'dial_registry_instances', help: 'Registered service instances.', registers: [register],
    collect() {
      this.set(store.listServices().length);
    },
  });
  new client.Gauge({
    name: 'dial_registry_index', help: 'The registry\'s global write index (X-Consul-Index).', registers: [register],
    collect() {
      this.set(store.index());
    },
  });
  new client.Gauge({
    name: 'dial_health_checks', help: 'Health checks by current status.', labelNames: ['status'], registers: [register],
    collect() {
      const counts: Record<string, number> = {passing: 0, warning: 0, critical: 0};
      for (const c of store.listChecks()) counts[c.status] = (counts[c.status] ?? 0) + 1;
      for (const [status, n] of Object.entries(counts)) this.set({status}, n);
    },
  });
  const transitions = new client.Counter({
    name: 'dial_health_check_transitions_total', help: 'Health-check results that changed a check\'s status, by new status.',
    labelNames: ['status'], registers: [register],
  });
  const onHealth = (e: {to: string}) => transitions.inc({status: e.to});
  ctx.events.on('health', onHealth);
  const writes = new client.Histogram({
    name: 'dial_registry_write_duration_seconds', help: 'Registry write transactions (fsync included), seconds.',
    buckets: LATENCY_BUCKETS, registers: [register],
  });
  const offWrite = store.onWrite((_index, ms) => writes.observe(ms / 1000));
  new client.Gauge({
    name: 'dial_instances', help: 'Demo instances the daemon supervises, by state.', labelNames: ['state'], registers: [register],
    collect() {
      const counts: Record<string, number> = {starting: 0, ready: 0, exited: 0};
      for (const i of ctx.supervisor.list()) counts[i.state] = (counts[i.state] ?? 0) + 1;
      for (const [state, n] of Object.entries(counts)) this.set({state}, n);
    },
  });

  ctx.server.router.add('GET', '/metrics', async ({res}) => {
    const text = await register.metrics();
    res.writeHead(200, {'content-type': register.contentType, 'content-length': Buffer.byteLength(text)});
    res.end(text);
  });
  return {
    async stop() {
      uninstrument();
      offWrite();
      ctx.events.off('health', onHealth);
    },
  };
}

/** "GET /v1/health/service/:service": the route pattern, rebuilt from the router's match, so IDs and keys do not become labels. */
export function routeLabel(router: Router, req: IncomingMessage, url: URL): string {
  const method = req.method ?? 'GET';
  const m = router.match(method, url.pathname);
  if (m === undefined) return `${method} (no route)`;
  if (m === 'method') return `${method} (method not allowed)`;
  let path = url.pathname;
  for (const [key, value] of Object.entries(m.params).reverse()) {
    if (value === '') continue;
    const raw = [encodeURIComponent(value).replace(/%2F/gi, '/'), value].find((v) => path.includes(v));
    if (raw === undefined) return `${method} ${url.pathname.split('/').slice(0, 3).join('/')}/...`;
    const at = path.lastIndexOf(raw);
    path = `${path.slice(0, at)}:${key}${path.slice(at + raw.length)}`;
  }
  return `${method} ${path}`;
}
