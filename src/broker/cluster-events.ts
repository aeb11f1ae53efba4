import type {DaemonContext} from '../runtime/daemon/extensions.js';

/**
 * The daemon's event bus names that go to the `dial.events` topic. Other
 * capabilities emit on ctx.events under one of these names (e.g. the txn
 * coordinator: ctx.events.emit('txn', {id, outcome, ...})).
 */
export const CLUSTER_EVENT_TYPES = ['registration', 'deregistration', 'health', 'instance', 'reaped', 'txn'] as const;

/** One event as stored in dial.events and printed by `dial events`. */
export interface ClusterEvent {
  type: string;
  /** ISO time the daemon saw it. */
  at: string;
  [field: string]: unknown;
}

/**
 * Emits 'registration' and 'deregistration' on the bus from the registry
 * store's service changes (so every path that registers counts: the HTTP API,
 * instances, reaping), one event per changed service.
 */
export function watchRegistrations(ctx: DaemonContext): () => void {
  return ctx.server.store.onServiceChange((c) => {
    if (c.service) {
      const s = c.service;
      ctx.events.emit('registration', {serviceId: c.id, service: s.name, address: s.address, port: s.port, ...(c.updated ? {updated: true} : {})});
    } else if (c.previous) {
      ctx.events.emit('deregistration', {serviceId: c.id, service: c.previous.name});
    }
  });
}

/** Subscribes `publish` to every bus event in CLUSTER_EVENT_TYPES; returns an unsubscribe function. */
export function bridgeEvents(ctx: DaemonContext, publish: (e: ClusterEvent) => void): () => void {
  const handlers = CLUSTER_EVENT_TYPES.map((type) => {
    const h = (payload: unknown) => publish({type, at: new Date().toISOString(), ...(typeof payload === 'object' && payload !== null ? payload : {value: payload})});
    ctx.events.on(type, h);
    return [type, h] as const;
  });
  return () => {
    for (const [type, h] of handlers) ctx.events.off(type, h);
  };
}

/** One line for a human: what happened, to what. */
export function describeEvent(e: ClusterEvent): string {
  const f = e as Record<string, unknown> & ClusterEvent;
  switch (e.type) {
    case 'registration': return `${f.updated ? 're-registered' : 'registered'} ${String(f.serviceId)} (${String(f.service)} at ${String(f.address)}:${String(f.port)})`;
    case 'deregistration': return `deregistered ${String(f.serviceId)} (${String(f.service)})`;
    case 'health': return `${String(f.serviceId)} check ${String(f.checkId)}: ${String(f.from)} -> ${String(f.to)}${f.output ? ` (${String(f.output)})` : ''}`;
    case 'instance': return `instance ${String(f.id)} ${String(f.event)}${f.detail ? ` (${String(f.detail)})` : ''}`;
    case 'reaped': return `reaped ${String(f.serviceId)} (critical longer than DeregisterCriticalServiceAfter)`;
    case 'txn': return describeTxnOutcome(f);
    default: {
      const {type: _t, at: _a, ...rest} = e;
      return JSON.stringify(rest);
    }
  }
}

const TXN_OUTCOMES: Record<string, string> = {
  commit: 'committed',
  abort: 'aborted',
  'in doubt': 'is in doubt (participants still wait for the decision)',
  split: 'SPLIT: some participants committed, others aborted (atomicity violated)',
};

/** "T2 committed (2PC, p1->p2:50) in 84 ms", "recovery R3: T1 committed ...". */
function describeTxnOutcome(f: Record<string, unknown>): string {
  const txn = typeof f.txn === 'string' ? f.txn : undefined;
  const outcome = String(f.outcome);
  const what = txn ? `${txn} ${TXN_OUTCOMES[outcome] ?? outcome}` : 'no transaction to finish';
  const how = [typeof f.protocol === 'string' ? f.protocol.toUpperCase() : '', typeof f.transfer === 'string' ? f.transfer : ''].filter(Boolean).join(', ');
  const took = typeof f.durationMs === 'number' ? ` in ${f.durationMs} ms` : '';
  const blocked = f.endedBy === 'max-time' && outcome !== 'in doubt' ? ' (some processes still blocked)' : '';
  return `${f.kind === 'recover' ? `recovery ${String(f.id)}: ` : ''}${what}${how ? ` (${how})` : ''}${took}${blocked}`;
}
