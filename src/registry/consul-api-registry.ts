import {DialError} from '../errors/index.js';
import {
  checkStatusFromConsul, type ConsulHealthCheck, type ConsulServiceEntry, instanceFromEntry, registrationToConsul,
} from './consul-json.js';
import {ConsulKv} from './consul-kv.js';
import {HttpClient, type HttpClientOptions} from './http-client.js';
import {
  type DiscoverOptions, type HealthStatus, type Registry, type ServiceCheck, type ServiceInstance, type ServiceRegistration,
  type ServiceSummary, summarize, type WatchOptions,
} from './types.js';

const VERB: Record<HealthStatus, string> = {passing: 'pass', warning: 'warn', critical: 'fail'};

/**
 * A Registry over Consul's HTTP API: the embedded dial daemon or a real Consul
 * agent, with the same code. Watches are Consul blocking queries.
 */
export class ConsulApiRegistry implements Registry {
  readonly http: HttpClient;
  readonly kv: ConsulKv;

  constructor(readonly url: string, opts: HttpClientOptions) {
    this.http = new HttpClient(opts);
    this.kv = new ConsulKv(this.http);
  }

  async register(reg: ServiceRegistration): Promise<string> {
    const body = registrationToConsul(reg);
    body.ID ??= reg.name;
    // The registration is the instance's whole definition: checks it no longer names go (Consul keeps them otherwise).
    await this.http.send('PUT', '/v1/agent/service/register', {body, query: {'replace-existing-checks': true}});
    return body.ID;
  }

  async deregister(id: string): Promise<void> {
    await this.http.send('PUT', `/v1/agent/service/deregister/${encodeURIComponent(id)}`).catch((e: unknown) => {
      throw notFound(e, `no instance with id '${id}'`, "list ids with 'dial discover NAME'");
    });
  }

  async services(): Promise<ServiceSummary[]> {
    const {body} = await this.http.send<Record<string, string[]>>('GET', '/v1/catalog/services');
    return this.summaries(body);
  }

  private async summaries(catalog: Record<string, string[]> | undefined): Promise<ServiceSummary[]> {
    const names = Object.keys(catalog ?? {}).filter((n) => n !== 'consul');
    const all = await Promise.all(names.map((n) => this.discover(n)));
    return summarize(all.flat());
  }

  async discover(name: string, opts: DiscoverOptions = {}): Promise<ServiceInstance[]> {
    const {body} = await this.http.send<ConsulServiceEntry[]>('GET', `/v1/health/service/${encodeURIComponent(name)}`, {
      query: {passing: opts.healthy, tag: opts.tag},
      signal: opts.signal,
    });
    return toInstances(body);
  }

  async health(name: string): Promise<ServiceCheck[]> {
    const {body} = await this.http.send<ConsulHealthCheck[]>('GET', `/v1/health/checks/${encodeURIComponent(name)}`);
    return (body ?? []).map((c) => ({...checkStatusFromConsul(c), serviceName: c.ServiceName}))
      .sort((a, b) => a.serviceId.localeCompare(b.serviceId) || a.id.localeCompare(b.id));
  }

  async updateCheck(checkId: string, status: HealthStatus, note?: string): Promise<void> {
    await this.http.send('PUT', `/v1/agent/check/${VERB[status]}/${encodeURIComponent(checkId)}`, {query: {note: note || undefined}})
      .catch((e: unknown) => {
        if (e instanceof DialError && /not a TTL check|does not have associated TTL/i.test(e.message)) {
          throw new DialError('NOT_TTL_CHECK', `check '${checkId}' is not a TTL check: only TTL checks (registered with --check-ttl) can be reported; the registry runs HTTP, TCP and gRPC checks itself`, {
            hint: "see each check's type with 'dial health NAME'", details: e.details,
          });
        }
        throw notFound(e, `no check with id '${checkId}'`, "list checks with 'dial health NAME'");
      });
  }

  watchService(name: string, opts: WatchOptions = {}): AsyncIterable<ServiceInstance[]> {
    return this.blocking<ConsulServiceEntry[], ServiceInstance[]>(`/v1/health/service/${encodeURIComponent(name)}`, async (b) => toInstances(b), opts);
  }

  watchServices(opts: WatchOptions = {}): AsyncIterable<ServiceSummary[]> {
    return this.blocking<Record<string, string[]>, ServiceSummary[]>('/v1/catalog/services', (b) => this.summaries(b), opts);
  }

  /**
   * Consul's blocking-query loop: GET with ?index=LAST&wait=..., yield when
   * the result changed; reset the index when it goes backwards (Consul's rule).
   */
  private async *blocking<B, T>(path: string, convert: (body: B | undefined) => Promise<T>, opts: WatchOptions): AsyncGenerator<T> {
    const waitMs = opts.waitMs ?? 300_000;
    let index = 0;
    let last: string | undefined;
    while (!opts.signal?.aborted) {
      let res;
      try {
        res = await this.http.send<B>('GET', path, {
          query: {index: index || undefined, wait: index ? `${Math.ceil(waitMs / 1000)}s` : undefined},
          signal: opts.signal,
          timeoutMs: waitMs + 30_000,
        });
      } catch (e) {
        if (opts.signal?.aborted) return;
        throw e;
      }
      const next = Number(res.headers['x-consul-index']);
      index = Number.isInteger(next) && next > 0 && next >= index ? next : 0;
      const snap = await convert(res.body);
      const key = JSON.stringify(snap);
      if (key !== last) {
        last = key;
        yield snap;
      }
    }
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}

function toInstances(body: ConsulServiceEntry[] | undefined): ServiceInstance[] {
  return (body ?? []).map(instanceFromEntry).sort((a, b) => a.id.localeCompare(b.id));
}

/** A 404 from the agent becomes NOT_FOUND with dial's wording; other errors pass through. */
function notFound(e: unknown, message: string, hint: string): unknown {
  if (e instanceof DialError && e.details?.httpStatus === 404) return new DialError('NOT_FOUND', message, {hint, details: e.details});
  return e;
}
