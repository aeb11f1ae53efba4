import {fork} from 'node:child_process';
import {join} from 'node:path';
import {DialError} from '../../errors/index.js';
import {distEntry} from '../../runtime/entry-points.js';
import {accountOf} from '../bank.js';
import type {TxnEvent} from '../events.js';
import {checkWriteAhead} from '../invariants.js';
import {coordinatorId, formatGid} from './gid.js';
import {openBranches, parseParticipants, type DbBranchOutcome, type DbRunRequest, type DbRunResult} from './run.js';

/**
 * Runs the transaction's coordinator in a child process (coordinator-main)
 * and follows it. When the child dies at a crash point (SIGKILL), reads
 * from the databases what it left: branches in doubt, balances.
 */
export async function runDbTransactionInChild(home: string, req: DbRunRequest, onEvent: (e: TxnEvent) => void): Promise<DbRunResult> {
  parseParticipants(req.participants);
  const child = fork(distEntry('txn/db/coordinator-main.js'), [], {stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: process.env});
  const events: TxnEvent[] = [];
  let txn: string | undefined;
  let before = NaN;
  const t0 = performance.now();
  const outcome = await new Promise<{result?: DbRunResult; error?: {code: string; message: string; hint?: string; exitCode: number}; signal?: string}>((resolve) => {
    let done: {result?: DbRunResult; error?: {code: string; message: string; hint?: string; exitCode: number}} = {};
    child.on('message', (m: {event?: TxnEvent; txn?: string; before?: number; result?: DbRunResult; error?: never}) => {
      if (m.event) {
        events.push(m.event);
        onEvent(m.event);
      }
      if (m.txn) {
        txn = m.txn;
        before = m.before ?? NaN;
      }
      if (m.result || m.error) done = m;
    });
    child.on('exit', (code, signal) => resolve({...done, ...(signal ? {signal} : {})}));
    child.send({home, req});
  });
  if (outcome.result) return outcome.result;
  if (outcome.error) throw new DialError(outcome.error.code, outcome.error.message, {hint: outcome.error.hint, exitCode: outcome.error.exitCode});
  if (!txn) throw new DialError('TXN_FAILED', `the coordinator process died (${outcome.signal ?? 'no result'}) before it began`);
  const crashEvent = events.find((e) => e.kind === 'crash');
  return inspectAfterCrash(home, req, txn, events, crashEvent?.kind === 'crash' ? crashEvent.point ?? outcome.signal! : outcome.signal ?? 'exit', performance.now() - t0, before);
}

/** What a dead coordinator left in the databases. */
export async function inspectAfterCrash(home: string, req: DbRunRequest, txn: string, events: TxnEvent[], crashed: string, ms: number, before = NaN): Promise<DbRunResult> {
  const dir = join(home, 'txn-db');
  const cid = coordinatorId(dir);
  const parsed = parseParticipants(req.participants);
  const {branches, resources} = await openBranches(parsed, 1);
  try {
    const doubt = new Set<string>();
    for (const r of resources) for (const x of await r.inDoubt()) doubt.add(x.gid);
    const decided = (p: string) => [...events].reverse().find((e) => e.kind === 'decide' && e.proc === p && e.txn === txn);
    const out: DbBranchOutcome[] = [];
    for (const b of branches) {
      const gid = formatGid({coordinator: cid, txn, branch: b.pid});
      const inDoubt = b.kind === 'db' && doubt.has(gid);
      const d = decided(b.pid);
      const rows = b.kind === 'db' ? await b.resource.balances().catch(() => []) : [];
      out.push({proc: b.pid, kind: b.kind === 'db' ? b.resource.target.kind : 'dial', url: b.kind === 'db' ? b.resource.target.display : 'dial', gid: b.kind === 'db' ? gid : undefined, account: accountOf(b.pid),
        state: inDoubt ? 'READY' : d?.kind === 'decide' ? d.outcome.toUpperCase() : undefined, inDoubt, balanceAfter: rows.find((r) => r.account === accountOf(b.pid))?.balance});
    }
    const after = out.reduce((s, b) => s + (b.balanceAfter ?? 0), 0);
    const commits = out.filter((b) => b.state === 'COMMIT').length;
    const aborts = out.filter((b) => b.state === 'ABORT').length;
    return {
      kind: 'db-run', txn, coordinatorId: cid, logFile: join(dir, 'coordinator.log'), crashed,
      outcome: out.some((b) => b.inDoubt) ? 'in doubt' : commits && aborts ? 'split' : commits ? 'commit' : 'abort',
      branches: out, total: {before, after, conserved: before === after}, violations: checkWriteAhead(events),
      durationMs: Math.round(ms), events,
    };
  } finally {
    await Promise.all(resources.map((r) => r.close()));
  }
}
