import {DialError, ExitCode} from '../errors/index.js';
import {abortAfter} from '../util/index.js';
import type {Registry, ServiceInstance} from './types.js';

export interface WaitForOptions {
  healthy?: boolean;
  /** How many instances must match (default 1). */
  count?: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface WaitForResult {
  service: string;
  healthy: boolean;
  wanted: number;
  count: number;
  waitedMs: number;
  instances: ServiceInstance[];
}

/**
 * Blocks (on the registry's watch) until NAME has `count` instances (passing
 * ones with `healthy`); throws WAIT_TIMEOUT (exit 1) when the time runs out.
 */
export async function waitFor(registry: Registry, service: string, opts: WaitForOptions): Promise<WaitForResult> {
  const started = Date.now();
  const wanted = opts.count ?? 1;
  const {signal, dispose} = abortAfter(opts.signal, Math.max(1, opts.timeoutMs));
  let last: ServiceInstance[] = [];
  const matching = (all: ServiceInstance[]) => all.filter((i) => !opts.healthy || i.status === 'passing');
  try {
    for await (const snap of registry.watchService(service, {signal, waitMs: opts.timeoutMs})) {
      last = matching(snap);
      if (last.length >= wanted) {
        return {service, healthy: Boolean(opts.healthy), wanted, count: last.length, waitedMs: Date.now() - started, instances: last};
      }
    }
  } finally {
    dispose();
  }
  opts.signal?.throwIfAborted();
  throw new DialError('WAIT_TIMEOUT', `'${service}' has ${last.length} ${opts.healthy ? 'healthy ' : ''}instance${last.length === 1 ? '' : 's'}, wanted ${wanted}, after ${Math.round(opts.timeoutMs / 100) / 10}s`, {
    hint: `see 'dial health ${service}' for failing checks, or wait longer with --timeout`,
    exitCode: ExitCode.Failed,
    details: {count: last.length, wanted},
  });
}
