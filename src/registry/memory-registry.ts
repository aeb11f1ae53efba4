import {randomUUID} from 'node:crypto';
import {DialError} from '../errors/index.js';
import {
  type CheckStatus, type DiscoverOptions, type Registry, type ServiceInstance, type ServiceRegistration,
  type ServiceSummary, summarize, worstStatus,
} from './types.js';

/** An in-memory Registry for unit tests: same contract, no process, no network. */
export class MemoryRegistry implements Registry {
  readonly url = 'mem://';
  private readonly instances = new Map<string, ServiceInstance>();

  async register(reg: ServiceRegistration): Promise<string> {
    if (!reg.name) throw new DialError('INVALID_REGISTRATION', 'a service name is required');
    const id = reg.id ?? `${reg.name}-${randomUUID().slice(0, 8)}`;
    const checks: CheckStatus[] = (reg.checks ?? []).map((c, n) => ({
      id: c.id ?? `service:${id}${reg.checks!.length > 1 ? `:${n + 1}` : ''}`,
      name: c.name ?? `Service '${reg.name}' check`,
      serviceId: id,
      type: c.http ? 'http' : c.tcp ? 'tcp' : c.grpc ? 'grpc' : c.ttl ? 'ttl' : '',
      status: c.status ?? 'critical',
      output: '',
    }));
    this.instances.set(id, {
      id,
      name: reg.name,
      address: reg.address,
      port: reg.port,
      tags: [...(reg.tags ?? [])],
      meta: {...reg.meta},
      weights: reg.weights ?? {passing: 1, warning: 1},
      status: worstStatus(checks.map((c) => c.status)),
      checks,
    });
    return id;
  }

  async deregister(id: string): Promise<void> {
    if (!this.instances.delete(id)) {
      throw new DialError('NOT_FOUND', `no instance with id '${id}'`, {hint: "list ids with 'dial discover NAME'"});
    }
  }

  /** Test helper: set a check's status (as a health checker would). */
  setCheckStatus(checkId: string, status: CheckStatus['status'], output = ''): void {
    for (const inst of this.instances.values()) {
      const c = inst.checks.find((x) => x.id === checkId);
      if (c) {
        c.status = status;
        c.output = output;
        inst.status = worstStatus(inst.checks.map((x) => x.status));
        return;
      }
    }
    throw new DialError('NOT_FOUND', `no check with id '${checkId}'`);
  }

  async services(): Promise<ServiceSummary[]> {
    return summarize([...this.instances.values()]);
  }

  async discover(name: string, opts: DiscoverOptions = {}): Promise<ServiceInstance[]> {
    return [...this.instances.values()]
      .filter((i) => i.name === name)
      .filter((i) => !opts.tag || i.tags.includes(opts.tag))
      .filter((i) => !opts.healthy || i.status === 'passing')
      .map((i) => structuredClone(i))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async close(): Promise<void> {}
}
