import {parseGoDuration} from '../../util/index.js';
import type {HealthStatus} from '../types.js';
import type {HealthChecker} from './health-checker.js';
import {HttpError, parseJson, type RequestContext, type Router} from './http-kit.js';
import {agentService, catalogEntry, DATACENTER, healthCheck, NODE_NAME, serviceEntry} from './render.js';
import type {Store, StoredCheck} from './store.js';
import {toCheckDefinition, validateCheckRegistration, validateRegistration} from './validate.js';
import type {ConsulCheckDefinition} from '../consul-json.js';

export interface RouteDeps {
  store: Store;
  checker: HealthChecker;
  /** Extra daemon status for /v1/dial/status. */
  status?: () => unknown;
}

/** Consul's agent, catalog and health endpoints (the subset documented in the README). */
export function addRegistryRoutes(router: Router, deps: RouteDeps): void {
  const {store, checker} = deps;

  router.add('GET', '/v1/status/leader', () => '127.0.0.1:8300');
  router.add('GET', '/v1/status/peers', () => ['127.0.0.1:8300']);
  router.add('GET', '/v1/agent/self', () => ({
    Config: {Datacenter: DATACENTER, NodeName: NODE_NAME, Server: true, Version: 'dial'},
    Member: {Name: NODE_NAME, Addr: '127.0.0.1', Status: 1},
  }));
  router.add('GET', '/v1/dial/status', () => ({index: store.index(), ...(deps.status?.() as object)}));

  router.add('GET', '/v1/agent/services', () =>
    Object.fromEntries(store.listServices().map((s) => [s.id, agentService(s)])));
  router.add('GET', '/v1/agent/service/:id', ({params}) => {
    const s = store.getService(params.id);
    if (!s) throw new HttpError(404, `unknown service ID: ${params.id}`);
    return agentService(s);
  });
  router.add('GET', '/v1/agent/checks', () =>
    Object.fromEntries(store.listChecks().map((c) => [c.id, healthCheck(c, store.getService(c.serviceId))])));

  router.add('PUT', '/v1/agent/service/register', async ({body, url}) => {
    const reg = validateRegistration(parseJson(body));
    const id = reg.ID ?? reg.Name;
    const many = (reg.Checks ?? []).length > 1;
    const checks = (reg.Checks ?? []).map((c, n) =>
      storedCheck(c, c.CheckID ?? (many ? `service:${id}:${n + 1}` : `service:${id}`), id, c.Name ?? `Service '${reg.Name}' check`));
    for (const old of store.listChecks(id)) checker.unschedule(old.id);
    await store.upsertService(
      {id, name: reg.Name, address: reg.Address ?? '', port: reg.Port ?? 0, tags: reg.Tags ?? [], meta: reg.Meta ?? {},
        weights: {passing: reg.Weights?.Passing ?? 1, warning: reg.Weights?.Warning ?? 1}},
      checks,
      flag(url, 'replace-existing-checks'),
    );
    for (const c of store.listChecks(id)) checker.schedule(c);
    return null;
  });

  router.add('PUT', '/v1/agent/check/register', async ({body}) => {
    const c = validateCheckRegistration(parseJson(body));
    const check = storedCheck(c, c.CheckID, c.ServiceID ?? '', c.Name);
    checker.unschedule(check.id);
    if (!(await store.upsertCheck(check))) throw new HttpError(404, `ServiceID "${check.serviceId}" does not exist`);
    checker.schedule(store.getCheck(check.id)!);
    return null;
  });

  router.add('PUT', '/v1/agent/check/deregister/:id', async ({params}) => {
    checker.unschedule(params.id);
    if (!(await store.deleteCheck(params.id))) throw new HttpError(404, `Unknown check ID "${params.id}". Ensure that the check ID is passed, not the check name.`);
    return null;
  });

  router.add('PUT', '/v1/agent/service/deregister/:id', async ({params}) => {
    for (const c of store.listChecks(params.id)) checker.unschedule(c.id);
    if (!(await store.deleteService(params.id))) throw new HttpError(404, `Unknown service ID "${params.id}". Ensure that the service ID is passed, not the service name.`);
    return null;
  });

  for (const [verb, status] of [['pass', 'passing'], ['warn', 'warning'], ['fail', 'critical']] as const) {
    router.add('PUT', `/v1/agent/check/${verb}/:id`, async ({params, url}) => {
      const check = store.getCheck(params.id);
      if (!check) throw new HttpError(404, `Unknown check ID "${params.id}"`);
      if (!check.definition.ttl) throw new HttpError(400, `Check "${params.id}" is not a TTL check`);
      checker.ttlUpdate(params.id, status, url.searchParams.get('note') ?? '');
      await store.durable();
      return null;
    });
  }

  router.add('GET', '/v1/catalog/services', async (ctx) => {
    await blockIfAsked(ctx, store);
    const out: Record<string, string[]> = {};
    for (const s of store.listServices()) {
      const tags = (out[s.name] ??= []);
      for (const t of s.tags) if (!tags.includes(t)) tags.push(t);
    }
    return out;
  });
  router.add('GET', '/v1/catalog/service/:name', async (ctx) => {
    await blockIfAsked(ctx, store);
    const tag = ctx.url.searchParams.get('tag');
    return store.listServices(ctx.params.name).filter((s) => !tag || s.tags.includes(tag)).map(catalogEntry);
  });
  router.add('GET', '/v1/health/service/:name', async (ctx) => {
    await blockIfAsked(ctx, store);
    const tag = ctx.url.searchParams.get('tag');
    const passing = flag(ctx.url, 'passing');
    // Node checks (registered without a ServiceID) count for every instance, as in Consul.
    const nodeChecks = store.listChecks('');
    return store.listServices(ctx.params.name)
      .filter((s) => !tag || s.tags.includes(tag))
      .map((s) => serviceEntry(s, [...nodeChecks, ...store.listChecks(s.id)]))
      .filter((e) => !passing || e.Checks.every((c) => c.Status === 'passing'));
  });
  router.add('GET', '/v1/health/checks/:name', async (ctx) => {
    await blockIfAsked(ctx, store);
    return store.listServices(ctx.params.name).flatMap((s) => store.listChecks(s.id).map((c) => healthCheck(c, s)));
  });
  router.add('GET', '/v1/health/state/:state', ({params}) => {
    if (!['any', 'passing', 'warning', 'critical'].includes(params.state)) throw new HttpError(400, `Invalid state "${params.state}"`);
    return store.listChecks().filter((c) => params.state === 'any' || c.status === params.state)
      .map((c) => healthCheck(c, store.getService(c.serviceId)));
  });
}

/** A check as the store keeps it, from a validated Consul definition; new checks start critical unless Status says otherwise. */
function storedCheck(c: ConsulCheckDefinition, id: string, serviceId: string, name: string): Omit<StoredCheck, 'createIndex' | 'modifyIndex'> {
  const def = toCheckDefinition(c);
  const status: HealthStatus = def.status ?? 'critical';
  return {
    id, serviceId, name, type: def.http ? 'http' : def.tcp ? 'tcp' : def.grpc ? 'grpc' : 'ttl', definition: def, status,
    output: '', notes: c.Notes ?? '', criticalSince: status === 'critical' ? Date.now() : null,
  };
}

/** A query flag as Consul reads it: present (`?x`, `?x=true`) and not `false`. */
function flag(url: URL, name: string): boolean {
  return url.searchParams.has(name) && url.searchParams.get(name) !== 'false';
}

/**
 * Consul blocking queries: with ?index=N the request waits until the store's
 * index passes N or `wait` (default 5m, max 10m) elapses.
 */
export async function blockIfAsked(ctx: RequestContext, store: Store): Promise<void> {
  const raw = ctx.url.searchParams.get('index');
  if (raw === null) return;
  const index = Number(raw);
  if (!Number.isInteger(index) || index < 0) throw new HttpError(400, `Invalid index "${raw}"`);
  const waitRaw = ctx.url.searchParams.get('wait');
  const waitMs = waitRaw ? parseGoDuration(waitRaw) : 300_000;
  if (waitMs === undefined) throw new HttpError(400, `Invalid wait time "${waitRaw}"`);
  if (store.index() > index) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      ctx.res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, Math.min(waitMs, 600_000) * (1 + Math.random() / 16));
    const off = store.onWrite((i) => {
      if (i > index) done();
    });
    ctx.res.once('close', done);
  });
}
