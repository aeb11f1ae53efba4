import type {TxnEvent} from './events.js';
import type {LogRecord, Msg, Outcome, PartState, Pid} from './types.js';

/** What the invariants are checked against: the event trace, the durable logs read back, the final states. */
export interface RunView {
  txn: string;
  participants: Pid[];
  deltas: Record<Pid, number>;
  events: TxnEvent[];
  /** Each process's durable log, read back after the run. */
  logs: Record<Pid, LogRecord[]>;
  /** Each participant's state for the transaction (undefined: it never heard of it). */
  states: Record<Pid, PartState | undefined>;
  balances: Record<Pid, number>;
  initialBalances: Record<Pid, number>;
}

/** The participants that sent a yes vote. */
export function yesVoters(events: TxnEvent[], txn: string): Set<Pid> {
  return new Set(events.filter((e) => e.kind === 'send' && e.msg.type === 'VOTE' && e.msg.txn === txn && e.msg.vote === 'yes').map((e) => e.proc));
}

/** Decisions per process, in order (several per process across restarts). */
export function decisions(events: TxnEvent[], txn: string): Map<Pid, Outcome[]> {
  const out = new Map<Pid, Outcome[]>();
  for (const e of events) if (e.kind === 'decide' && e.txn === txn) out.set(e.proc, [...(out.get(e.proc) ?? []), e.outcome]);
  return out;
}

/** The outcome everybody agrees on, or undefined when nobody decided. */
export function outcomeOf(events: TxnEvent[], txn: string): Outcome | undefined {
  const all = [...decisions(events, txn).values()].flat();
  return all.includes('commit') ? 'commit' : all.length ? 'abort' : undefined;
}

/**
 * Atomicity, validity, durability, write-ahead and conservation; returns one
 * line per violation (empty when all hold).
 */
export function checkSafety(v: RunView): string[] {
  const bad: string[] = [];
  const dec = decisions(v.events, v.txn);
  const committed = [...dec].filter(([, o]) => o.includes('commit')).map(([p]) => p);
  const aborted = [...dec].filter(([, o]) => o.includes('abort')).map(([p]) => p);
  if (committed.length && aborted.length) bad.push(`atomicity: ${committed.join(',')} committed while ${aborted.join(',')} aborted`);
  for (const [p, o] of dec) if (new Set(o).size > 1) bad.push(`durability: ${p} decided ${o.join(' then ')}`);
  const yes = yesVoters(v.events, v.txn);
  if (committed.length) {
    const missing = v.participants.filter((p) => !yes.has(p));
    if (missing.length) bad.push(`validity: committed although ${missing.join(',')} never voted yes`);
  }
  for (const [p, log] of Object.entries(v.logs)) {
    const kinds = new Set(log.filter((r) => 'txn' in r && r.txn === v.txn && (r.type === 'COMMIT' || r.type === 'ABORT')).map((r) => r.type));
    if (kinds.size > 1) bad.push(`durability: ${p}'s log holds both COMMIT and ABORT`);
    const logged = [...kinds][0]?.toLowerCase() as Outcome | undefined;
    const final = committed.length ? 'commit' : aborted.length ? 'abort' : undefined;
    if (logged && final && logged !== final) bad.push(`durability: ${p}'s log says ${logged} but the outcome is ${final}`);
  }
  bad.push(...checkWriteAhead(v.events));
  const total = (b: Record<Pid, number>) => Object.values(b).reduce((s, x) => s + x, 0);
  if (total(v.balances) !== total(v.initialBalances)) bad.push(`conservation: total ${total(v.balances)}, expected ${total(v.initialBalances)}`);
  const outcome = committed.length ? 'commit' : 'abort';
  for (const p of v.participants) {
    const want = v.initialBalances[p] + (outcome === 'commit' ? v.deltas[p] ?? 0 : 0);
    if (v.states[p] && v.states[p] !== 'READY' && v.states[p] !== 'PRECOMMIT' && v.balances[p] !== want) bad.push(`balance: ${p} has ${v.balances[p]}, expected ${want}`);
  }
  return bad;
}

/** Every participant decided (one that never voted yes counts as aborted). */
export function checkDecided(v: Pick<RunView, 'events' | 'txn' | 'states'>, who: Pid[], when: string): string[] {
  const yes = yesVoters(v.events, v.txn);
  const undecided = who.filter((p) => {
    const s = v.states[p];
    if (s === 'COMMIT' || s === 'ABORT') return false;
    return s !== undefined || yes.has(p);
  });
  return undecided.length ? [`liveness: ${undecided.map((p) => `${p} (${v.states[p] ?? 'no record'})`).join(', ')} undecided ${when}`] : [];
}

/** What must be durable at the sender before a message goes out. */
function required(msg: Msg): {type: string; term?: number} | undefined {
  switch (msg.type) {
    case 'VOTE':
      return msg.vote === 'yes' ? {type: 'PREPARED'} : undefined;
    case 'PRECOMMIT':
      return {type: 'PRECOMMIT'};
    case 'ACK':
      return msg.of === 'COMMIT' ? {type: 'COMMIT'} : {type: 'PRECOMMIT|COMMIT'};
    case 'COMMIT':
      return {type: 'COMMIT'};
    case 'ABORT':
      return msg.term > 0 ? {type: 'ABORT'} : undefined;
    case 'STATE':
      return msg.state === 'READY' || msg.state === 'PRECOMMIT' ? {type: 'PROMISE|PRECOMMIT', term: msg.term} : undefined;
    default:
      return undefined;
  }
}

/**
 * The write-ahead rule, from the trace alone: a record is durable once a
 * forced append at or after it happened before the process crashed; each
 * message that reveals a state needs that state's record durable first.
 */
export function checkWriteAhead(events: TxnEvent[]): string[] {
  const bad: string[] = [];
  const durable = new Map<Pid, LogRecord[]>();
  const pending = new Map<Pid, LogRecord[]>();
  for (const e of events) {
    if (e.kind === 'log') {
      const p = [...(pending.get(e.proc) ?? []), e.record];
      if (e.force) {
        durable.set(e.proc, [...(durable.get(e.proc) ?? []), ...p]);
        pending.set(e.proc, []);
      } else pending.set(e.proc, p);
    } else if (e.kind === 'crash') pending.set(e.proc, []);
    else if (e.kind === 'send') {
      const need = required(e.msg);
      if (!need) continue;
      const types = need.type.split('|');
      const ok = (durable.get(e.proc) ?? []).some(
        (r) => 'txn' in r && r.txn === e.msg.txn && types.includes(r.type) && (need.term === undefined || !('term' in r) || r.term >= need.term),
      );
      if (!ok) bad.push(`write-ahead: ${e.proc} sent ${e.msg.type}${e.msg.type === 'VOTE' ? ' yes' : ''} to ${e.to} at ${e.t}ms before ${need.type} was durable`);
    }
  }
  return bad;
}
