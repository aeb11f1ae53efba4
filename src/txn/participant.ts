import {decisionMsg, Fx} from './effects.js';
import {startTermination, terminationInput, terminationTimeout, type TermRun} from './termination.js';
import type {Effect, Input, MachineConfig, Outcome, PartState, Pid, ProcessPolicy, TxnSpec} from './types.js';

/**
 * A participant of 2PC and 3PC holding one bank account. Write-ahead: it
 * forces PREPARED before voting yes, PRECOMMIT before acknowledging it, and a
 * COMMIT before acknowledging it. A READY participant holds the lock on its
 * account until it learns the outcome: in 2PC by asking the coordinator and,
 * cooperatively, its peers; in 3PC by the termination protocol
 * (termination.ts), which elects a new coordinator among the participants.
 */
export interface PartTxn {
  txn: string;
  spec?: TxnSpec;
  coordinator: Pid;
  state: PartState;
  /** Highest termination term promised (3PC); 0 is the original coordinator. */
  promised: number;
  /** Rebuilt from the log after a crash while undecided (3PC: may not terminate with a partial view). */
  recovered?: boolean;
  /** 3PC recovered: the peers that answered UNCERTAIN to this round of INQUIREs. */
  uncertain?: Pid[];
  /** 3PC: the termination protocol this participant runs as the new coordinator. */
  run?: TermRun;
}

export interface PartNode {
  id: Pid;
  account: string;
  balance: number;
  /** The transaction that holds the account's lock (prepared, undecided). */
  lockedBy?: string;
  txns: Record<string, PartTxn>;
  policy: ProcessPolicy;
}

export function newParticipant(id: Pid, account: string, balance: number, policy: ProcessPolicy = {}): PartNode {
  return {id, account, balance, txns: {}, policy};
}

/** The step context shared with termination.ts. */
export interface PartCtx {
  node: PartNode;
  fx: Fx;
  cfg: MachineConfig;
  set(t: PartTxn, to: PartState): void;
  decide(t: PartTxn, outcome: Outcome, opts?: {ackTo?: Pid}): void;
  waitMs(t: PartTxn, factor?: number): number;
}

export function participantStep(node: PartNode, input: Input, cfg: MachineConfig): {node: PartNode; effects: Effect[]} {
  const n = structuredClone(node);
  const fx = new Fx();
  const ctx = makeCtx(n, fx, cfg);
  if (input.kind === 'begin') return {node: n, effects: fx.note('participants do not begin transactions').list};
  const txn = input.kind === 'recv' ? input.msg.txn : input.txn;
  const t = n.txns[txn];
  if (input.kind === 'timeout') {
    if (t && !isDecided(t)) onTimeout(ctx, t, input.timer);
    return {node: n, effects: fx.list};
  }
  const {from, msg} = input;
  if (t?.run && terminationInput(ctx, t, from, msg)) return {node: n, effects: fx.list};
  switch (msg.type) {
    case 'PREPARE':
      onPrepare(ctx, from, msg);
      break;
    case 'PRECOMMIT':
      if (!t) fx.note(`PRECOMMIT for unknown ${txn} ignored`, txn);
      else if (t.state === 'COMMIT') fx.send(from, {type: 'ACK', txn, of: 'PRECOMMIT', term: msg.term});
      else if (t.state === 'ABORT') fx.send(from, decisionMsg('abort', txn, msg.term));
      else if (msg.term < t.promised) fx.send(from, {type: 'NACK', txn, term: msg.term, promised: t.promised});
      else {
        if (t.state === 'READY') {
          fx.log({type: 'PRECOMMIT', txn, term: msg.term}, true);
          ctx.set(t, 'PRECOMMIT');
        } else if (msg.term > t.promised) fx.log({type: 'PROMISE', txn, term: msg.term}, true);
        t.promised = msg.term;
        fx.point('after-precommit');
        fx.send(from, {type: 'ACK', txn, of: 'PRECOMMIT', term: msg.term});
        fx.timer(txn, 'decision', ctx.waitMs(t));
      }
      break;
    case 'COMMIT':
    case 'ABORT': {
      const outcome: Outcome = msg.type === 'COMMIT' ? 'commit' : 'abort';
      if (!t) {
        if (outcome === 'abort') {
          // Remember it, so a PREPARE that arrives late gets a no.
          n.txns[txn] = {txn, coordinator: from, state: 'ABORT', promised: 0};
          fx.log({type: 'ABORT', txn}, false);
        } else fx.note(`COMMIT for unknown ${txn} ignored`, txn);
      } else if (isDecided(t)) {
        if (t.state === 'COMMIT' && outcome === 'commit' && from === t.coordinator) fx.send(from, {type: 'ACK', txn, of: 'COMMIT', term: 0});
      } else {
        if (from !== t.coordinator) fx.note(`learns ${msg.type} from ${from}${msg.term ? ` (termination term ${msg.term})` : ''}`, txn);
        ctx.decide(t, outcome, {ackTo: from === t.coordinator && outcome === 'commit' ? from : undefined});
      }
      break;
    }
    case 'INQUIRE':
      if (!t) unilateralAbort(ctx, txn, from, 'asked about a transaction it never prepared').send(from, decisionMsg('abort', txn));
      else if (isDecided(t)) fx.send(from, decisionMsg(t.state === 'COMMIT' ? 'commit' : 'abort', txn));
      else fx.send(from, {type: 'UNCERTAIN', txn, state: t.state});
      break;
    case 'UNCERTAIN':
      if (t && !isDecided(t) && t.recovered && t.spec?.protocol === '3pc' && t.uncertain) {
        if (!t.uncertain.includes(from)) t.uncertain.push(from);
        const peers = t.spec.participants.filter((p) => p !== n.id);
        if (peers.every((p) => t.uncertain!.includes(p)) && !t.run) {
          fx.note('every participant is up and uncertain: runs the termination protocol with all of them', txn);
          startTermination(ctx, t, true);
        }
      }
      break;
    case 'STATE-REQ':
      if (!t) unilateralAbort(ctx, txn, from, 'asked for its state in a transaction it never prepared').send(from, {type: 'STATE', txn, term: msg.term, state: 'ABORT'});
      else if (isDecided(t)) fx.send(from, {type: 'STATE', txn, term: msg.term, state: t.state});
      else if (msg.term < t.promised) fx.send(from, {type: 'NACK', txn, term: msg.term, promised: t.promised});
      else {
        if (msg.term > t.promised) {
          fx.log({type: 'PROMISE', txn, term: msg.term}, true);
          t.promised = msg.term;
        }
        fx.send(from, {type: 'STATE', txn, term: msg.term, state: t.state});
        fx.timer(txn, 'decision', ctx.waitMs(t, 3));
      }
      break;
    default:
      break;
  }
  return {node: n, effects: fx.list};
}

export function isDecided(t: PartTxn): boolean {
  return t.state === 'COMMIT' || t.state === 'ABORT';
}

function onPrepare(ctx: PartCtx, from: Pid, spec: TxnSpec): void {
  const {node: n, fx} = ctx;
  const txn = spec.txn;
  const known = n.txns[txn];
  if (known) {
    if (known.state === 'ABORT') fx.send(from, {type: 'VOTE', txn, vote: 'no', reason: 'already aborted'});
    return;
  }
  const delta = spec.deltas[n.id] ?? 0;
  const reason = n.policy.voteNo
    ? 'told to vote no'
    : n.lockedBy
      ? `account ${n.account} is locked by ${n.lockedBy}`
      : n.balance + delta < 0
        ? `insufficient funds: ${n.account} has ${n.balance}, needs ${-delta}`
        : undefined;
  const t: PartTxn = {txn, spec: {txn, protocol: spec.protocol, participants: spec.participants, deltas: spec.deltas}, coordinator: from, state: 'INIT', promised: 0};
  n.txns[txn] = t;
  if (reason) {
    // A participant may abort on its own before it votes yes; presumed abort: not forced.
    fx.log({type: 'ABORT', txn}, false);
    ctx.set(t, 'ABORT');
    fx.decide(txn, 'abort');
    fx.send(from, {type: 'VOTE', txn, vote: 'no', reason});
    return;
  }
  fx.point('before-prepared');
  fx.log({type: 'PREPARED', coordinator: from, txn, protocol: spec.protocol, participants: spec.participants, deltas: spec.deltas}, true);
  ctx.set(t, 'READY');
  n.lockedBy = txn;
  fx.point('after-prepared');
  fx.send(from, {type: 'VOTE', txn, vote: 'yes'});
  fx.point('after-vote');
  fx.timer(txn, 'decision', ctx.waitMs(t));
}

/** A participant that never voted may abort on its own; forced, since it now promises never to vote yes. */
function unilateralAbort(ctx: PartCtx, txn: string, from: Pid, why: string): Fx {
  const t: PartTxn = {txn, coordinator: from, state: 'INIT', promised: 0};
  ctx.node.txns[txn] = t;
  ctx.fx.note(`${why}: aborts it unilaterally`, txn);
  ctx.fx.log({type: 'ABORT', txn}, true);
  ctx.set(t, 'ABORT');
  ctx.fx.decide(txn, 'abort');
  return ctx.fx;
}

function onTimeout(ctx: PartCtx, t: PartTxn, timer: string): void {
  const {fx, node: n} = ctx;
  if (timer === 'term') return terminationTimeout(ctx, t);
  if (timer !== 'decision' || !t.spec || t.run) return;
  const peers = t.spec.participants.filter((p) => p !== n.id);
  if (t.spec.protocol === '2pc') {
    // Blocked: ask the coordinator and, cooperatively, the other participants.
    fx.note(`${t.state} and uncertain: asks ${[t.coordinator, ...peers].join(', ')}`, t.txn);
    for (const p of [t.coordinator, ...peers]) fx.send(p, {type: 'INQUIRE', txn: t.txn});
    fx.timer(t.txn, 'decision', 4 * ctx.cfg.timeoutMs);
  } else if (t.recovered) {
    t.uncertain = [];
    fx.note('recovered undecided: asks everyone before it may terminate', t.txn);
    for (const p of [t.coordinator, ...peers]) fx.send(p, {type: 'INQUIRE', txn: t.txn});
    fx.timer(t.txn, 'decision', ctx.waitMs(t));
  } else startTermination(ctx, t, false);
}

function makeCtx(n: PartNode, fx: Fx, cfg: MachineConfig): PartCtx {
  const ctx: PartCtx = {
    node: n,
    fx,
    cfg,
    set(t, to) {
      fx.state(t.txn, t.state, to);
      t.state = to;
    },
    decide(t, outcome, opts = {}) {
      const txn = t.txn;
      const threePc = t.spec?.protocol === '3pc';
      fx.cancel(txn, 'decision').cancel(txn, 'term');
      t.run = undefined;
      fx.point('before-decision-durable');
      const delta = t.spec?.deltas[n.id] ?? 0;
      // Commits are forced (they are acknowledged); 3PC forces aborts too, because its
      // termination protocol could otherwise decide again, differently, after a crash.
      fx.log(outcome === 'commit' ? {type: 'COMMIT', txn, delta} : {type: 'ABORT', txn}, outcome === 'commit' || threePc);
      if (outcome === 'commit') n.balance += delta;
      if (n.lockedBy === txn) n.lockedBy = undefined;
      ctx.set(t, outcome === 'commit' ? 'COMMIT' : 'ABORT');
      fx.decide(txn, outcome);
      if (opts.ackTo) fx.send(opts.ackTo, {type: 'ACK', txn, of: 'COMMIT', term: 0});
    },
    waitMs(t, factor = 2) {
      const T = cfg.timeoutMs;
      if (t.spec?.protocol !== '3pc') return factor * T;
      // 3PC: stagger by rank so the lowest-ranked live participant usually starts the election.
      const rank = t.spec.participants.indexOf(n.id);
      return factor * T + rank * Math.round(T / 2);
    },
  };
  return ctx;
}
