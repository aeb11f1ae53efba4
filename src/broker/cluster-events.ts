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
    default: {
      const {type: _t, at: _a, ...rest} = e;
      return JSON.stringify(rest);
    }
  }
}
