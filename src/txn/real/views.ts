import {accountOf, COORDINATOR, INITIAL_BALANCE} from '../bank.js';
import {recoverCoordinator} from '../coordinator.js';
import {recoverParticipant} from '../participant-recovery.js';
import {readLogFile} from './file-log.js';
import {instanceId, type TxnProcesses} from './processes.js';
import type {BalancesView, ProcView, TxnState} from './wire.js';
import type {Pid} from '../types.js';

const UNDECIDED = ['READY', 'PRECOMMIT', 'WAIT', 'COMMIT (asking)', 'PRECOMMIT (asking)'];

/** A process as `txn status` shows it: asked when it runs, replayed from its durable log when it does not. */
export async function procView(procs: TxnProcesses, p: Pid): Promise<ProcView> {
  const role = p === COORDINATOR ? 'coordinator' : 'participant';
  const base = {proc: p, instance: instanceId(p), role, logFile: procs.logFile(p)} as const;
  const st = await procs.status(p);
  if (st) {
    const inDoubt = st.txns.filter((x) => UNDECIDED.includes(x.state) || (role === 'coordinator' && x.state === 'COMMIT'));
    return {...base, up: true, pid: st.pid, account: st.account, balance: st.balance, lockedBy: st.lockedBy, inDoubt, recent: st.txns.slice(-10), transactions: st.txns.length, logRecords: st.logRecords, source: 'process'};
  }
  const {records} = readLogFile(procs.logFile(p));
  const cfg = {timeoutMs: 1000};
  let inDoubt: TxnState[];
  let recent: TxnState[];
  let extra: Partial<ProcView> = {};
  let transactions: number;
  if (role === 'participant') {
    const r = recoverParticipant(p, records, cfg, {account: accountOf(p), balance: INITIAL_BALANCE});
    inDoubt = Object.values(r.node.txns).filter((x) => x.state === 'READY' || x.state === 'PRECOMMIT').map((x) => ({txn: x.txn, state: x.state, protocol: x.spec?.protocol}));
    extra = {account: r.node.account, balance: r.node.balance, lockedBy: r.node.lockedBy};
    recent = Object.values(r.node.txns).slice(-10).map((x) => ({txn: x.txn, state: x.state, protocol: x.spec?.protocol}));
    transactions = Object.keys(r.node.txns).length;
  } else {
    const r = recoverCoordinator(p, records, cfg);
    inDoubt = Object.values(r.node.txns).filter((x) => x.state === 'COMMIT' || x.state === 'PRECOMMIT').map((x) => ({txn: x.spec.txn, state: x.state, protocol: x.spec.protocol}));
    recent = Object.values(r.node.txns).slice(-10).map((x) => ({txn: x.spec.txn, state: x.state, protocol: x.spec.protocol, outcome: x.outcome}));
    transactions = Object.keys(r.node.txns).length;
  }
  return {...base, ...extra, up: false, exit: procs.exitOf(p) ?? procs.state(p), inDoubt, recent, transactions, logRecords: records.length, source: 'log'};
}

export async function balancesView(procs: TxnProcesses): Promise<BalancesView> {
  const views = await Promise.all(procs.known().filter((p) => p !== COORDINATOR).map((p) => procView(procs, p)));
  const accounts = views.map((v) => ({proc: v.proc, account: v.account ?? accountOf(v.proc), balance: v.balance ?? INITIAL_BALANCE, lockedBy: v.lockedBy, up: v.up, source: v.source}));
  const total = accounts.reduce((s, a) => s + a.balance, 0);
  const expected = accounts.length * INITIAL_BALANCE;
  return {accounts, total, expected, conserved: total === expected};
}
