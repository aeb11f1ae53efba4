import type {HealthStatus, ServiceInstance, ServiceSummary} from './types.js';

/** One change seen by `dial watch NAME` (NDJSON line under --json). */
export interface InstanceEvent {
  /** present: in the first snapshot; added/removed/changed afterwards. */
  event: 'present' | 'added' | 'removed' | 'changed';
  at: string;
  service: string;
  id: string;
  address: string;
  port: number;
  status: HealthStatus;
  /** For changed: the status before. */
  from?: HealthStatus;
  /** First non-passing check output, if any. */
  output?: string;
}

/** One change seen by `dial watch --services`. */
export interface ServiceEvent {
  event: 'present' | 'added' | 'removed' | 'changed';
  at: string;
  service: string;
  instances: number;
  passing: number;
  warning: number;
  critical: number;
}

/** The events that lead from `prev` to `next` (prev undefined: the first snapshot). */
export function diffInstances(prev: ServiceInstance[] | undefined, next: ServiceInstance[], service: string, now = new Date()): InstanceEvent[] {
  const at = now.toISOString();
  const before = new Map((prev ?? []).map((i) => [i.id, i]));
  const events: InstanceEvent[] = [];
  const ev = (event: InstanceEvent['event'], i: ServiceInstance, from?: HealthStatus): InstanceEvent => {
    const bad = i.checks.find((c) => c.status !== 'passing');
    return {event, at, service, id: i.id, address: i.address, port: i.port, status: i.status, ...(from ? {from} : {}), ...(bad?.output ? {output: bad.output} : {})};
  };
  for (const i of next) {
    const old = before.get(i.id);
    before.delete(i.id);
    if (!prev) events.push(ev('present', i));
    else if (!old) events.push(ev('added', i));
    else if (JSON.stringify(old) !== JSON.stringify(i)) events.push(ev('changed', i, old.status !== i.status ? old.status : undefined));
  }
  for (const gone of before.values()) events.push(ev('removed', gone));
  return events;
}

export function diffServices(prev: ServiceSummary[] | undefined, next: ServiceSummary[], now = new Date()): ServiceEvent[] {
  const at = now.toISOString();
  const before = new Map((prev ?? []).map((s) => [s.name, s]));
  const events: ServiceEvent[] = [];
  const ev = (event: ServiceEvent['event'], s: ServiceSummary): ServiceEvent =>
    ({event, at, service: s.name, instances: s.instances, passing: s.passing, warning: s.warning, critical: s.critical});
  for (const s of next) {
    const old = before.get(s.name);
    before.delete(s.name);
    if (!prev) events.push(ev('present', s));
    else if (!old) events.push(ev('added', s));
    else if (JSON.stringify(old) !== JSON.stringify(s)) events.push(ev('changed', s));
  }
  for (const gone of before.values()) events.push(ev('removed', {...gone, instances: 0, passing: 0, warning: 0, critical: 0}));
  return events;
}
