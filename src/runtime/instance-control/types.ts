import type {HealthStatus} from '../../registry/types.js';
import type {InstanceInfo} from '../supervisor.js';

/** Faults injected into a demo instance (see src/demo/instance-runtime.ts applyFaults). */
export interface Faults {
  /** Added latency per request, ms. */
  latencyMs: number;
  /** Fraction of requests that fail with UNAVAILABLE (0..1). */
  errorRate: number;
  /** Never answer (until the caller's deadline). */
  hang: boolean;
}

export const NO_FAULTS: Faults = {latencyMs: 0, errorRate: 0, hang: false};

/** One supervised instance as `dial instance list` shows it: process state, health and faults. */
export interface InstanceView extends InstanceInfo {
  /** Worst status of its registry checks; undefined when it is not registered. */
  health?: HealthStatus;
  faults: Faults;
}

/** `POST /v1/dial/instances/:id/kill` body. */
export interface KillRequest {
  signal?: NodeJS.Signals;
}

/** True when any fault is active. */
export function hasFaults(f: Faults): boolean {
  return f.latencyMs > 0 || f.errorRate > 0 || f.hang;
}

/** A short human description: "+200ms, 50% errors" or "none". */
export function describeFaults(f: Faults): string {
  const parts: string[] = [];
  if (f.hang) parts.push('hangs');
  if (f.latencyMs > 0) parts.push(`+${f.latencyMs}ms`);
  if (f.errorRate > 0) parts.push(`${Math.round(f.errorRate * 1000) / 10}% errors`);
  return parts.join(', ') || 'none';
}
