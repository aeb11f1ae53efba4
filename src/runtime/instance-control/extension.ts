import {HttpError, parseJson} from '../../registry/server/http-kit.js';
import {worstStatus} from '../../registry/types.js';
import {didYouMean} from '../../util/index.js';
import type {DaemonContext, DaemonExtension} from '../daemon/extensions.js';
import {NO_FAULTS, type Faults, type InstanceView, type KillRequest} from './types.js';

const SIGNALS = new Set(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGSTOP', 'SIGCONT', 'SIGHUP', 'SIGQUIT']);

async function until(test: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

function parseFaults(body: Buffer): Partial<Faults> {
  const v = parseJson(body) as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, 'body must be a JSON object {latencyMs?, errorRate?, hang?}');
  const out: Partial<Faults> = {};
  if (v.latencyMs !== undefined) {
    if (typeof v.latencyMs !== 'number' || !Number.isFinite(v.latencyMs) || v.latencyMs < 0 || v.latencyMs > 3_600_000) {
      throw new HttpError(400, 'latencyMs must be a number of milliseconds between 0 and 3600000');
    }
    out.latencyMs = v.latencyMs;
  }
  if (v.errorRate !== undefined) {
    if (typeof v.errorRate !== 'number' || !(v.errorRate >= 0 && v.errorRate <= 1)) throw new HttpError(400, 'errorRate must be a number between 0 and 1');
    out.errorRate = v.errorRate;
  }
  if (v.hang !== undefined) {
    if (typeof v.hang !== 'boolean') throw new HttpError(400, 'hang must be true or false');
    out.hang = v.hang;
  }
  return out;
}

/**
 * Instance control inside the daemon: list the supervised instances with their
 * health and injected faults; inject faults (latency, error rate, hang), heal,
 * kill with a signal (a real crash: no deregistration) and restart.
 */
export const instanceControl: DaemonExtension = {
  name: 'instance-control',
  async start(ctx: DaemonContext) {
    const {supervisor, server, events} = ctx;
    const faults = new Map<string, Faults>();
    events.on('instance', (e: {id: string; event: string}) => {
      if (e.event === 'started' || e.event === 'exited') faults.delete(e.id);
    });
    const view = (id: string): InstanceView => {
      const info = supervisor.list().find((i) => i.id === id)!;
      const checks = server.store.getService(id) ? server.store.listChecks(id) : undefined;
      return {...info, ...(checks ? {health: worstStatus(checks.map((c) => c.status))} : {}), faults: {...(faults.get(id) ?? NO_FAULTS)}};
    };
    const known = (id: string): string => {
      const ids = supervisor.list().map((i) => i.id);
      if (!ids.includes(id)) throw new HttpError(404, `no instance '${id}'${didYouMean(id, ids)}; instances: ${ids.join(', ') || '(none)'}`);
      return id;
    };
    const running = (id: string): string => {
      if (supervisor.get(known(id))?.state === 'exited') throw new HttpError(409, `instance '${id}' is not running (it exited); start it again with 'dial instance restart ${id}'`);
      return id;
    };
    const setFaults = (id: string, f: Faults): InstanceView => {
      if (!supervisor.send(id, {type: 'fault', ...f})) throw new HttpError(409, `instance '${id}' has no control channel (is it still starting?)`);
      faults.set(id, f);
      ctx.log(`instance ${id} faults set: ${JSON.stringify(f)}`);
      return view(id);
    };
    const r = server.router;
    r.add('GET', '/v1/dial/instances', () => supervisor.list().map((i) => view(i.id)));
    r.add('GET', '/v1/dial/instances/:id', ({params}) => view(known(params.id)));
    r.add('POST', '/v1/dial/instances/:id/fault', ({params, body}) => {
      const id = running(params.id);
      return setFaults(id, {...(faults.get(id) ?? NO_FAULTS), ...parseFaults(body)});
    });
    r.add('POST', '/v1/dial/instances/:id/heal', ({params}) => {
      const id = running(params.id);
      if (!supervisor.send(id, {type: 'heal'})) throw new HttpError(409, `instance '${id}' has no control channel`);
      faults.delete(id);
      ctx.log(`instance ${id} healed`);
      return view(id);
    });
    r.add('POST', '/v1/dial/instances/:id/kill', async ({params, body}) => {
      const id = running(params.id);
      const req = (body.length ? parseJson(body) : {}) as KillRequest;
      const signal = req.signal ?? 'SIGKILL';
      if (!SIGNALS.has(signal)) throw new HttpError(400, `signal must be one of ${[...SIGNALS].join(', ')}`);
      supervisor.kill(id, signal);
      ctx.log(`instance ${id} sent ${signal}`);
      if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT' || signal === 'SIGQUIT') {
        await until(() => supervisor.get(id)?.state === 'exited', 5000);
      }
      return view(id);
    });
    r.add('POST', '/v1/dial/instances/:id/restart', async ({params}) => {
      const id = known(params.id);
      await supervisor.restart(id);
      const ready = await until(() => supervisor.get(id)?.state === 'ready', 15_000);
      if (!ready) throw new HttpError(504, `instance '${id}' did not become ready within 15s; see 'dial cluster logs ${id}'`);
      await until(() => view(id).health === 'passing', 5000);
      return view(id);
    });
  },
};
