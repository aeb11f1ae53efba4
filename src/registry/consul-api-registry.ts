import {type ConsulServiceEntry, instanceFromEntry, registrationToConsul} from './consul-json.js';
import {HttpClient, type HttpClientOptions} from './http-client.js';
import {
  type DiscoverOptions, type Registry, type ServiceInstance, type ServiceRegistration, type ServiceSummary, summarize,
} from './types.js';

/**
 * A Registry over Consul's HTTP API: the embedded dial daemon or a real Consul
 * agent, with the same code.
 */
export class ConsulApiRegistry implements Registry {
  readonly http: HttpClient;

  constructor(readonly url: string, opts: HttpClientOptions) {
    this.http = new HttpClient(opts);
  }

  async register(reg: ServiceRegistration): Promise<string> {
    const body = registrationToConsul(reg);
    body.ID ??= reg.name;
    await this.http.send('PUT', '/v1/agent/service/register', {body});
    return body.ID;
  }

  async deregister(id: string): Promise<void> {
    await this.http.send('PUT', `/v1/agent/service/deregister/${encodeURIComponent(id)}`);
  }

  async services(): Promise<ServiceSummary[]> {
    const {body} = await this.http.send<Record<string, string[]>>('GET', '/v1/catalog/services');
    const names = Object.keys(body ?? {}).filter((n) => n !== 'consul');
    const all = await Promise.all(names.map((n) => this.discover(n)));
    return summarize(all.flat());
  }

  async discover(name: string, opts: DiscoverOptions = {}): Promise<ServiceInstance[]> {
    const {body} = await this.http.send<ConsulServiceEntry[]>('GET', `/v1/health/service/${encodeURIComponent(name)}`, {
      query: {passing: opts.healthy, tag: opts.tag},
      signal: opts.signal,
    });
    return (body ?? []).map(instanceFromEntry).sort((a, b) => a.id.localeCompare(b.id));
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
