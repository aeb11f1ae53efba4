import {HttpError, parseJson} from '../../registry/server/index.js';
import type {DaemonContext} from '../../runtime/daemon/extensions.js';
import {COORDINATOR, participantIds} from '../bank.js';
import type {TxnEvent} from '../events.js';
import {TxnProcesses} from './processes.js';
import {TxnRuns} from './runs.js';
import {balancesView} from './views.js';
import type {BenchTimings, EventsBody, RunRequest} from './wire.js';

/**
 * The txn capability inside the cluster daemon: starts the coordinator and
 * participant processes, runs transactions on them with faults, gathers
 * their events, and answers status, balances, recover, reset and bench.
 */
export async function startTxnExtension(ctx: DaemonContext): Promise<{stop: () => Promise<void>}> {
  const procs = new TxnProcesses(ctx);
  // Outcomes go on the daemon's bus, so `dial events` shows them beside registrations and health.
  const runs = new TxnRuns(procs, (res) => ctx.events.emit('txn', {
    id: res.id, kind: res.kind, txn: res.txn, protocol: res.protocol, transfer: res.transfer, outcome: res.outcome, atomic: res.atomic,
    endedBy: res.endedBy, durationMs: Math.round(res.durationMs), participants: res.participants,
  }));
  const r = ctx.server.router;
  const body = <T>(b: Buffer) => parseJson(b) as T;

  r.add('POST', '/v1/txn/runs', async ({body: b}) => {
    const req = body<RunRequest>(b);
    if (!req || !['2pc', '3pc'].includes(req.protocol) || !Number.isInteger(req.participants) || req.participants < 1 || req.participants > 26 || typeof req.deltas !== 'object' || !req.faults) {
      throw new HttpError(400, 'a run needs protocol (2pc|3pc), participants (1..26), deltas and faults');
    }
    return runs.startRun(req);
  });
  r.add('GET', '/v1/txn/runs/:id', ({params, url}) => runs.page(params.id, Number(url.searchParams.get('after') ?? 0) || 0, Math.min(Number(url.searchParams.get('wait') ?? 500) || 0, 5000)));
  r.add('POST', '/v1/txn/events', ({body: b}) => {
    const e = body<EventsBody>(b);
    if (!Array.isArray(e?.events)) throw new HttpError(400, 'events must be an array');
    runs.ingest(e.events as TxnEvent[]);
    return {ok: true};
  });
  r.add('POST', '/v1/txn/partition', async () => {
    await runs.partition();
    return {ok: true};
  });
  r.add('POST', '/v1/txn/recover', ({body: b}) => runs.startRecover(Math.min(Number(body<{maxTimeMs?: number}>(b.length ? b : Buffer.from('{}')).maxTimeMs ?? 5000), 60_000)));
  r.add('GET', '/v1/txn/status', () => runs.status());
  r.add('GET', '/v1/txn/balances', () => balancesView(procs));
  r.add('POST', '/v1/txn/reset', async () => {
    await runs.reset();
    return {ok: true};
  });
  r.add('POST', '/v1/txn/bench', async ({body: b}) => {
    const q = body<{count?: number; fsync?: boolean; participants?: number}>(b);
    if (runs.busy) throw new HttpError(409, 'a transaction run is in progress');
    const n = q.participants ?? 3;
    const ps = participantIds(n);
    for (const p of [COORDINATOR, ...ps]) if (procs.state(p) !== 'up') await procs.start(p);
    Object.assign(procs.cfg, {fsync: q.fsync !== false, trace: false, faults: {crash: [], voteNo: [], drop: [], delay: []}, partitioned: false, timeoutMs: 2000});
    await procs.configureAll(procs.known());
    try {
      const deltas = Object.fromEntries(ps.map((p, i) => [p, i === 0 ? -1 : i === 1 ? 1 : 0]));
      return await procs.call<BenchTimings>(COORDINATOR, '/ctl/bench', {count: Math.min(q.count ?? 200, 10_000), spec: {protocol: '2pc', participants: ps, deltas}}, 600_000);
    } finally {
      Object.assign(procs.cfg, {fsync: true, trace: true, timeoutMs: 300});
      await procs.configureAll(procs.known());
    }
  });
  return {
    async stop() {
      await procs.stopAll();
      await procs.close();
    },
  };
}
