import {decisionMsg, Fx} from './effects.js';
import type {CoordState, Effect, Input, LogRecord, MachineConfig, Outcome, Pid, TxnSpec} from './types.js';

/**
 * The coordinator of 2PC (Gray 1978) and 3PC (Skeen 1981), with presumed
 * abort: it writes nothing forced before its decision, so a coordinator that
 * recovers without a decision record answers "abort". Write-ahead: the
 * COMMIT record (and in 3PC the PRECOMMIT record) is forced before it is sent.
 * Every wait has a timeout. Pure: `coordinatorStep` returns the new state and
 * the effects for the host to carry out.
 */
export interface CoordTxn {
  spec: TxnSpec;
  state: CoordState;
  votes: Record<Pid, 'yes' | 'no'>;
  /** PRECOMMIT acks in 3PC's PRECOMMIT state; COMMIT acks in COMMIT. */
  acks: Pid[];
  outcome?: Outcome;
  /** 3PC: superseded by a termination protocol, or recovered undecided: learns the outcome by asking. */
  passive?: boolean;
}

export interface CoordNode {
  id: Pid;
  txns: Record<string, CoordTxn>;
}

export function newCoordinator(id: Pid = 'c'): CoordNode {
  return {id, txns: {}};
}

/**
 * Copy on write: the new node shares every transaction but the one this input
 * is about, which is copied (its spec is never changed after begin, so it is
 * shared too). The caller's node stays as it was, as with a deep copy, at the
 * cost of one transaction instead of all of them (structuredClone was most of
 * a step's time). A caller that owns its node and keeps no older one (the
 * ProcessHost) passes inPlace: the step then changes the node itself, which
 * also spares a new object per step whose keys are all new transaction ids
 * (V8 builds a hidden class for each; that was the next largest cost).
 */
function touch(node: CoordNode, txn: string, inPlace: boolean): {n: CoordNode; t?: CoordTxn} {
  if (inPlace) return {n: node, t: node.txns[txn]};
  const n: CoordNode = {id: node.id, txns: {...node.txns}};
  const old = node.txns[txn];
  if (!old) return {n};
  const t: CoordTxn = {...old, votes: {...old.votes}, acks: [...old.acks]};
  n.txns[txn] = t;
  return {n, t};
}

export function coordinatorStep(node: CoordNode, input: Input, cfg: MachineConfig, opts: {inPlace?: boolean} = {}): {node: CoordNode; effects: Effect[]} {
  const {n, t} = touch(node, input.kind === 'begin' ? input.spec.txn : input.kind === 'recv' ? input.msg.txn : input.txn, opts.inPlace ?? false);
  const fx = new Fx();
  const T = cfg.timeoutMs;
  const set = (t: CoordTxn, to: CoordState) => {
    fx.state(t.spec.txn, t.state, to);
    t.state = to;
  };

  const abort = (t: CoordTxn, why: string) => {
    const txn = t.spec.txn;
    fx.cancel(txn, 'votes').note(`decides ABORT: ${why}`, txn);
    // Presumed abort: the ABORT record need not be forced, and nobody acknowledges it.
    fx.log({type: 'ABORT', txn, participants: t.spec.participants}, false);
    set(t, 'ABORT');
    t.outcome = 'abort';
    fx.decide(txn, 'abort');
    const tell = t.spec.participants.filter((p) => t.votes[p] !== 'no');
    fx.sendAll(tell, () => decisionMsg('abort', txn), 'partial-decision');
    fx.log({type: 'END', txn}, false);
    set(t, 'END');
  };

  const commit = (t: CoordTxn) => {
    const txn = t.spec.txn;
    fx.cancel(txn, 'votes').cancel(txn, 'acks');
    fx.log({type: 'COMMIT', txn, participants: t.spec.participants}, true);
    set(t, 'COMMIT');
    t.outcome = 'commit';
    t.acks = [];
    fx.decide(txn, 'commit');
    fx.point('after-decision');
    fx.sendAll(t.spec.participants, () => decisionMsg('commit', txn), 'partial-decision');
    fx.timer(txn, 'resend', T);
  };

  const goPassive = (t: CoordTxn, why: string) => {
    t.passive = true;
    fx.cancel(t.spec.txn, 'acks').note(`${why}: waits to learn the outcome from the participants`, t.spec.txn);
    fx.timer(t.spec.txn, 'inquire', 2 * T);
  };

  /** Adopts an outcome decided elsewhere (3PC termination protocol). */
  const adopt = (t: CoordTxn, outcome: Outcome) => {
    const txn = t.spec.txn;
    fx.cancel(txn, 'votes').cancel(txn, 'acks').cancel(txn, 'inquire');
    // Forced: the coordinator answers inquiries with it from now on.
    fx.log(outcome === 'commit' ? {type: 'COMMIT', txn} : {type: 'ABORT', txn}, outcome === 'commit');
    set(t, outcome === 'commit' ? 'COMMIT' : 'ABORT');
    t.outcome = outcome;
    // It knows now: no longer asking (`txn status` showed 'END (asking)').
    t.passive = undefined;
    fx.decide(txn, outcome);
    fx.log({type: 'END', txn}, false);
    set(t, 'END');
  };

  if (input.kind === 'begin') {
    const spec = input.spec;
    if (n.txns[spec.txn]) return {node: n, effects: fx.note(`already knows ${spec.txn}`, spec.txn).list};
    const t: CoordTxn = {spec, state: 'INIT', votes: {}, acks: []};
    n.txns[spec.txn] = t;
    fx.log({type: 'BEGIN', txn: spec.txn, protocol: spec.protocol, participants: spec.participants, deltas: spec.deltas}, false);
    set(t, 'WAIT');
    fx.point('before-prepare');
    fx.sendAll(spec.participants, () => ({type: 'PREPARE', txn: spec.txn, protocol: spec.protocol, participants: spec.participants, deltas: spec.deltas}), 'partial-prepare');
    fx.timer(spec.txn, 'votes', T);
    return {node: n, effects: fx.list};
  }

  const txn = input.kind === 'recv' ? input.msg.txn : input.txn;

  if (input.kind === 'timeout') {
    if (!t) return {node: n, effects: []};
    if (input.timer === 'votes' && t.state === 'WAIT') {
      const missing = t.spec.participants.filter((p) => !t.votes[p]);
      abort(t, `no vote from ${missing.join(', ')} within ${T}ms`);
    } else if (input.timer === 'acks' && t.state === 'PRECOMMIT' && !t.passive) {
      const missing = t.spec.participants.filter((p) => !t.acks.includes(p));
      if (t.acks.length > 0) {
        fx.note(`no PRECOMMIT ACK from ${missing.join(', ')}: presumed failed, commits anyway (3PC)`, txn);
        commit(t);
      } else goPassive(t, 'no PRECOMMIT ACK at all');
    } else if (input.timer === 'resend' && t.state === 'COMMIT') {
      const missing = t.spec.participants.filter((p) => !t.acks.includes(p));
      fx.note(`no COMMIT ACK from ${missing.join(', ')}: resends`, txn);
      for (const p of missing) fx.send(p, decisionMsg('commit', txn));
      fx.timer(txn, 'resend', 2 * T);
    } else if (input.timer === 'inquire' && t.passive && (t.state === 'PRECOMMIT' || t.state === 'WAIT')) {
      for (const p of t.spec.participants) fx.send(p, {type: 'INQUIRE', txn});
      fx.timer(txn, 'inquire', 2 * T);
    }
    return {node: n, effects: fx.list};
  }

  const {from, msg} = input;
  switch (msg.type) {
    case 'VOTE':
      if (!t) {
        // Presumed abort: no record of the transaction means it aborted.
        if (msg.vote === 'yes') fx.note('no record of this transaction: presumed abort', txn).send(from, decisionMsg('abort', txn));
      } else if (t.state === 'WAIT' && !t.passive) {
        t.votes[from] = msg.vote;
        if (msg.vote === 'no') abort(t, `${from} voted no${msg.reason ? ` (${msg.reason})` : ''}`);
        else if (t.spec.participants.every((p) => t.votes[p] === 'yes')) {
          fx.cancel(txn, 'votes');
          fx.point('after-votes');
          if (t.spec.protocol === '2pc') commit(t);
          else {
            fx.log({type: 'PRECOMMIT', txn, term: 0, participants: t.spec.participants}, true);
            set(t, 'PRECOMMIT');
            t.acks = [];
            fx.sendAll(t.spec.participants, () => ({type: 'PRECOMMIT', txn, term: 0}), 'partial-precommit');
            fx.timer(txn, 'acks', T);
          }
        }
      } else if (t.outcome === 'abort' && msg.vote === 'yes') fx.send(from, decisionMsg('abort', txn));
      break;
    case 'ACK':
      if (!t) break;
      if (msg.of === 'PRECOMMIT' && t.state === 'PRECOMMIT' && !t.passive && msg.term === 0) {
        if (!t.acks.includes(from)) t.acks.push(from);
        if (t.spec.participants.every((p) => t.acks.includes(p))) commit(t);
      } else if (msg.of === 'COMMIT' && t.state === 'COMMIT') {
        if (!t.acks.includes(from)) t.acks.push(from);
        if (t.spec.participants.every((p) => t.acks.includes(p))) {
          fx.cancel(txn, 'resend');
          fx.log({type: 'END', txn}, false);
          set(t, 'END');
        }
      }
      break;
    case 'NACK':
      if (t && t.state === 'PRECOMMIT' && !t.passive) goPassive(t, `superseded: ${from} promised termination term ${msg.promised}`);
      break;
    case 'COMMIT':
    case 'ABORT': {
      const outcome: Outcome = msg.type === 'COMMIT' ? 'commit' : 'abort';
      if (t && (t.state === 'WAIT' || t.state === 'PRECOMMIT')) {
        if (outcome === 'commit' && t.state === 'WAIT') fx.note(`ignores COMMIT from ${from}: it never pre-committed`, txn);
        else {
          fx.note(`learns ${msg.type} from ${from}${msg.term ? ` (termination term ${msg.term})` : ''}`, txn);
          adopt(t, outcome);
        }
      }
      break;
    }
    case 'INQUIRE':
      if (!t) fx.note('no record of this transaction: presumed abort', txn).send(from, decisionMsg('abort', txn));
      else if (t.outcome) fx.send(from, decisionMsg(t.outcome, txn));
      else fx.send(from, {type: 'UNCERTAIN', txn, state: t.state});
      break;
    default:
      break;
  }
  return {node: n, effects: fx.list};
}

/**
 * Rebuilds the coordinator from its durable log after a crash. Presumed abort:
 * a transaction with no decision record aborted (the participants are told);
 * COMMIT without END is sent again until acknowledged; in 3PC a PRECOMMIT
 * record without a decision means "ask": the participants may have terminated.
 */
export function recoverCoordinator(id: Pid, records: LogRecord[], cfg: MachineConfig): {node: CoordNode; effects: Effect[]; summary: string[]} {
  const node = newCoordinator(id);
  const fx = new Fx();
  const summary: string[] = [];
  const seen = new Map<string, {spec?: TxnSpec; participants?: Pid[]; pre?: boolean; outcome?: Outcome; end?: boolean}>();
  for (const r of records) {
    if (r.type === 'ACCOUNT') continue;
    const s = seen.get(r.txn) ?? {};
    seen.set(r.txn, s);
    if (r.type === 'BEGIN') s.spec = {txn: r.txn, protocol: r.protocol, participants: r.participants, deltas: r.deltas};
    else if (r.type === 'PRECOMMIT') {
      s.pre = true;
      s.participants = r.participants;
    } else if (r.type === 'COMMIT') {
      s.outcome = 'commit';
      s.participants ??= r.participants;
    } else if (r.type === 'ABORT') s.outcome ??= 'abort';
    else if (r.type === 'END') s.end = true;
  }
  for (const [txn, s] of seen) {
    const participants = s.spec?.participants ?? s.participants ?? [];
    const spec: TxnSpec = s.spec ?? {txn, protocol: s.pre ? '3pc' : '2pc', participants, deltas: {}};
    const t: CoordTxn = {spec, state: 'END', votes: {}, acks: [], outcome: s.outcome ?? 'abort'};
    node.txns[txn] = t;
    if (s.end) continue;
    if (s.outcome === 'commit') {
      t.state = 'COMMIT';
      summary.push(`${txn}: COMMIT logged, not all acknowledged: sends COMMIT again`);
      fx.state(txn, 'INIT', 'COMMIT');
      for (const p of participants) fx.send(p, decisionMsg('commit', txn));
      fx.timer(txn, 'resend', 2 * cfg.timeoutMs);
    } else if (s.outcome === 'abort') {
      summary.push(`${txn}: ABORT logged`);
      fx.log({type: 'END', txn}, false);
    } else if (s.pre) {
      t.state = 'PRECOMMIT';
      t.outcome = undefined;
      t.passive = true;
      summary.push(`${txn}: PRECOMMIT logged, no decision: asks the participants`);
      fx.state(txn, 'INIT', 'PRECOMMIT');
      for (const p of participants) fx.send(p, {type: 'INQUIRE', txn});
      fx.timer(txn, 'inquire', 2 * cfg.timeoutMs);
    } else {
      summary.push(`${txn}: no decision logged: presumed abort, tells ${participants.join(', ') || 'nobody'}`);
      fx.log({type: 'ABORT', txn, participants}, false);
      fx.decide(txn, 'abort');
      for (const p of participants) fx.send(p, decisionMsg('abort', txn));
      fx.log({type: 'END', txn}, false);
    }
  }
  return {node, effects: fx.list, summary};
}
