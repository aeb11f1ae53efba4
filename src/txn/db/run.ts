import {join} from 'node:path';
import {DialError, usageError} from '../../errors/index.js';
import {undecidedDialTxns} from './dial-branches.js';
import {accountOf, COORDINATOR, deltasOf, INITIAL_BALANCE, parseTransfers} from '../bank.js';
import type {TxnEvent} from '../events.js';
import type {Faults} from '../faults.js';
import {checkWriteAhead} from '../invariants.js';
import {streamRandom} from '../rng.js';
import type {Pid} from '../types.js';
import {coordinatorId, newTxnId} from './gid.js';
import {DbNetwork, type BranchSpec} from './network.js';
import {openResource} from './open.js';
import {remember} from './known.js';
import type {DbResource, Stmt} from './resource.js';
import {isDbUrl, parseDbUrl, sameDb, type DbTarget} from './url.js';

export interface DbRunRequest {
  /** Database URLs, or 'dial' for one of dial's own participants. */
  participants: string[];
  transfer: string;
  /** Per participant (in order), its own statements, ';'-separated, instead of the demo transfer ('' keeps the transfer). */
  sql?: string[];
  faults: Faults;
  timeoutMs: number;
  maxTimeMs: number;
  seed: number;
  fsync?: boolean;
}

export interface DbBranchOutcome {
  proc: Pid;
  kind: 'pg' | 'mysql' | 'dial';
  url: string;
  gid?: string;
  account: string;
  /** READY (prepared, in doubt), COMMIT, ABORT, or undefined (never heard of it). */
  state?: string;
  inDoubt: boolean;
  balanceBefore?: number;
  balanceAfter?: number;
}

export interface DbRunResult {
  kind: 'db-run';
  txn: string;
  coordinatorId: string;
  logFile: string;
  outcome: 'commit' | 'abort' | 'in doubt' | 'split';
  /** The coordinator crash point it died at, if it did. */
  crashed?: string;
  branches: DbBranchOutcome[];
  total: {before: number; after: number; conserved: boolean};
  violations: string[];
  durationMs: number;
  events: TxnEvent[];
}

/** The participants of a request: targets parsed and checked (no database twice). */
export function parseParticipants(urls: string[]): ({pid: Pid; target: DbTarget} | {pid: Pid; target: undefined})[] {
  if (urls.length < 1 || urls.length > 8) throw usageError(`--participant: ${urls.length} given`, 'give 1 to 8 participants (database URLs, or dial for one of its own)');
  const out = urls.map((u, i) => {
    const pid = `p${i + 1}`;
    if (u === 'dial') return {pid, target: undefined};
    if (!isDbUrl(u)) throw usageError(`--participant: '${u}' is not a database URL or 'dial'`, 'write pg://user@127.0.0.1:5432/bank_a, mysql://root@127.0.0.1:3306/bank_b, or dial');
    return {pid, target: parseDbUrl(u)};
  });
  const dbs = out.filter((x) => x.target).map((x) => x.target!);
  for (const [i, a] of dbs.entries()) {
    if (dbs.slice(i + 1).some((b) => sameDb(a, b))) throw usageError(`--participant: ${a.display} is named twice`, 'each branch needs its own database');
  }
  return out;
}

/** Splits one --sql value into statements (a ';' inside quotes is not a separator). */
export function splitSql(text: string): Stmt[] {
  const out: string[] = [];
  let cur = '';
  let q: string | undefined;
  for (const ch of text) {
    if (q) {
      if (ch === q) q = undefined;
    } else if (ch === "'" || ch === '"') q = ch;
    else if (ch === ';') {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean).map((sql) => ({sql}));
}

export async function openBranches(parsed: ReturnType<typeof parseParticipants>, max?: number): Promise<{branches: BranchSpec[]; resources: DbResource[]}> {
  const branches: BranchSpec[] = [];
  const resources: DbResource[] = [];
  for (const p of parsed) {
    if (!p.target) branches.push({pid: p.pid, kind: 'dial'});
    else {
      const resource = await openResource(p.target, {max});
      resources.push(resource);
      branches.push({pid: p.pid, kind: 'db', resource});
    }
  }
  return {branches, resources};
}

async function balanceOf(b: BranchSpec, net?: DbNetwork): Promise<number | undefined> {
  if (b.kind === 'dial') return net?.dialParticipant(b.pid)?.participant?.balance ?? INITIAL_BALANCE;
  const rows = await b.resource.balances().catch(() => undefined);
  return rows?.find((r) => r.account === accountOf(b.pid))?.balance ?? rows?.reduce((s, r) => s + r.balance, 0);
}

/**
 * One distributed transaction over real databases (and dial's own
 * participants): checks every database first (so a wrong password or
 * disabled prepared transactions leave nothing behind), runs 2PC with the
 * faults, and reads back the balances and what is left in doubt.
 */
export async function runDbTransaction(home: string, req: DbRunRequest, hooks: {onEvent?: (e: TxnEvent) => void; crash?: (point: string) => Promise<void> | void; onTxn?: (txn: string, before: (number | undefined)[]) => void} = {}): Promise<DbRunResult> {
  const parsed = parseParticipants(req.participants);
  const ps = parsed.map((p) => p.pid);
  if (req.sql && req.sql.length > ps.length) throw usageError(`--sql: ${req.sql.length} given for ${ps.length} participants`, 'give one --sql per participant, in the order of --participant');
  const deltas = req.sql?.some(Boolean) ? Object.fromEntries(ps.map((p) => [p, 0])) : deltasOf(parseTransfers(req.transfer, ps), ps);
  for (const c of req.faults.crash) if (c.proc !== COORDINATOR) throw usageError(`--crash: ${c.proc}:${c.point}: with database participants only the coordinator crashes`, "a database cannot be SIGKILLed by dial; use --drop for a lost connection, or crash the coordinator");
  const dir = join(home, 'txn-db');
  const cid = coordinatorId(dir);
  // A dial participant left in doubt by a crashed coordinator would ask this run's fresh
  // coordinator, which knows nothing of it: recovery decides it from the log first.
  const stuck = undecidedDialTxns(dir).filter((u) => parsed.some((p) => !p.target && p.pid === u.pid));
  if (stuck.length) {
    throw new DialError('TXN_IN_DOUBT', `dial participant ${stuck.map((u) => `${u.pid} holds ${u.txn}`).join(', ')} in doubt (its coordinator crashed)`, {hint: "run 'dial txn recover --db' first: it decides it from the coordinator's log (presumed abort when nothing was logged)"});
  }
  const {branches, resources} = await openBranches(parsed, 2);
  const events: TxnEvent[] = [];
  const t0 = performance.now();
  let net: DbNetwork | undefined;
  try {
    for (const r of resources) r.lockWaitMs = Math.max(req.timeoutMs, 1000);
    await Promise.all(resources.map((r) => r.check()));
    remember(dir, resources.map((r) => r.target.display));
    const before = await Promise.all(branches.map((b) => balanceOf(b)));
    const txn = newTxnId();
    let crashed: string | undefined;
    let settle!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    const onEvent = (e: TxnEvent) => {
      events.push(e);
      hooks.onEvent?.(e);
      if (e.kind === 'crash' && e.proc === COORDINATOR) {
        crashed = e.point;
        settle();
      }
      if (e.kind === 'state' && e.proc === COORDINATOR && e.txn === txn && e.to === 'END') settle();
    };
    net = await DbNetwork.open({dir, coordinatorId: cid, branches, faults: req.faults, timeoutMs: req.timeoutMs, random: streamRandom(req.seed, 99), fsync: req.fsync !== false, onEvent, crash: (p) => hooks.crash?.(p), replay: false});
    // dial's own participants hold their balance in their logs: known once their hosts recovered.
    for (const [i, b] of branches.entries()) if (b.kind === 'dial') before[i] = await balanceOf(b, net);
    hooks.onTxn?.(txn, before);
    const work: Record<Pid, Stmt[]> = {};
    for (const b of branches) {
      const own = req.sql?.[Number(b.pid.slice(1)) - 1];
      if (b.kind === 'db') work[b.pid] = own ? splitSql(own) : deltas[b.pid] ? [b.resource.transferStmt(accountOf(b.pid), deltas[b.pid])] : [];
    }
    net.work.set(txn, work);
    net.note(txn, Object.fromEntries(branches.map((b) => [b.pid, b.kind === 'db' ? b.resource.target.display : 'dial'])));
    const timer = setTimeout(settle, req.maxTimeMs);
    // Not awaited alone: a crash hook that never returns (the child waiting for its SIGKILL) must not hang the run.
    void net.coordinator.input({kind: 'begin', spec: {txn, protocol: '2pc', participants: ps, deltas}});
    await settled;
    clearTimeout(timer);
    // The decisions in flight reach the databases (a crashed coordinator sends nothing more).
    await net.drain();
    await new Promise((r) => setTimeout(r, 20));
    await net.drain();
    const states = net.states.get(txn) ?? {};
    const doubt = new Set<string>();
    for (const r of resources) for (const x of await r.inDoubt()) doubt.add(x.gid);
    const out: DbBranchOutcome[] = [];
    for (const [i, b] of branches.entries()) {
      const gid = b.kind === 'db' ? net.gid(txn, b.pid) : undefined;
      const dialState = b.kind === 'dial' ? net.dialParticipant(b.pid)?.participant?.txns[txn]?.state : undefined;
      const inDoubt = gid ? doubt.has(gid) : dialState === 'READY';
      out.push({
        proc: b.pid, kind: b.kind === 'db' ? b.resource.target.kind : 'dial', url: b.kind === 'db' ? b.resource.target.display : 'dial', gid, account: accountOf(b.pid),
        state: inDoubt ? 'READY' : b.kind === 'db' ? states[b.pid] : dialState, inDoubt, balanceBefore: before[i], balanceAfter: await balanceOf(b, net),
      });
    }
    const sum = (xs: (number | undefined)[]) => xs.reduce<number>((s, x) => s + (x ?? 0), 0);
    const total = {before: sum(before), after: sum(out.map((b) => b.balanceAfter)), conserved: false};
    total.conserved = total.before === total.after;
    const commits = out.filter((b) => b.state === 'COMMIT').length;
    const aborts = out.filter((b) => b.state === 'ABORT').length;
    const anyDoubt = out.some((b) => b.inDoubt);
    const outcome: DbRunResult['outcome'] = commits && aborts ? 'split' : anyDoubt ? 'in doubt' : commits ? 'commit' : 'abort';
    const violations = [...checkWriteAhead(events)];
    if (outcome === 'split') violations.push(`atomicity: ${out.filter((b) => b.state === 'COMMIT').map((b) => b.proc).join(',')} committed while ${out.filter((b) => b.state === 'ABORT').map((b) => b.proc).join(',')} aborted`);
    if (!anyDoubt && !req.sql?.some(Boolean) && !total.conserved) violations.push(`conservation: total ${total.after}, was ${total.before}`);
    return {kind: 'db-run', txn, coordinatorId: cid, logFile: net.log.path, outcome, ...(crashed ? {crashed} : {}), branches: out, total, violations, durationMs: Math.round(performance.now() - t0), events};
  } finally {
    await net?.close();
    await Promise.all(resources.map((r) => r.close()));
  }
}
