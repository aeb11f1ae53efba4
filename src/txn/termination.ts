import {decisionMsg} from './effects.js';
import type {PartCtx, PartTxn} from './participant.js';
import type {Msg, Outcome, PartState, Pid} from './types.js';

/**
 * 3PC's termination protocol (Skeen 1981; BHG 7.4): when the coordinator is
 * silent, a participant becomes the new coordinator, collects the states of
 * the participants it can reach and decides by the rule
 *   any COMMIT -> commit; any ABORT -> abort;
 *   any PRECOMMIT -> pre-commit the READY ones, then commit;
 *   all READY -> abort.
 * Elections are by term (round * (N + 1) + rank): a participant forces a
 * promise of the highest term it has answered and refuses (NACK) lower ones,
 * so two would-be coordinators never both finish. The protocol is safe when
 * a silent process really is down (a synchronous network); under a partition
 * each side terminates on its own, and they can disagree.
 */
export interface TermRun {
  term: number;
  phase: 'collect' | 'precommit';
  states: Record<Pid, PartState>;
  /** The READY responders sent PRECOMMIT, and those that acknowledged it. */
  waiting: Pid[];
  acks: Pid[];
  /** A recovered participant may decide only with every participant's state. */
  requireAll: boolean;
}

function nextTerm(promised: number, rank: number, n: number): number {
  return (Math.floor(promised / (n + 1)) + 1) * (n + 1) + rank;
}

export function startTermination(ctx: PartCtx, t: PartTxn, requireAll: boolean): void {
  const {fx, node} = ctx;
  const spec = t.spec!;
  const rank = spec.participants.indexOf(node.id) + 1;
  const term = nextTerm(t.promised, rank, spec.participants.length);
  fx.cancel(t.txn, 'decision');
  fx.log({type: 'PROMISE', txn: t.txn, term}, true);
  t.promised = term;
  t.run = {term, phase: 'collect', states: {[node.id]: t.state}, waiting: [], acks: [], requireAll};
  fx.note(`coordinator silent: ${node.id} becomes the new coordinator (termination term ${term})`, t.txn);
  for (const p of spec.participants) if (p !== node.id) fx.send(p, {type: 'STATE-REQ', txn: t.txn, term});
  fx.timer(t.txn, 'term', ctx.cfg.timeoutMs);
}

/** Handles a message or timeout that belongs to the running termination; true when consumed. */
export function terminationInput(ctx: PartCtx, t: PartTxn, from: Pid, msg: Msg): boolean {
  const run = t.run!;
  if (msg.type === 'STATE' && msg.term === run.term && run.phase === 'collect') {
    run.states[from] = msg.state;
    const all = t.spec!.participants.every((p) => run.states[p] !== undefined);
    if (msg.state === 'COMMIT' || msg.state === 'ABORT' || all) evaluate(ctx, t);
    return true;
  }
  if (msg.type === 'NACK' && msg.term === run.term) {
    abandon(ctx, t, `superseded: ${from} promised term ${msg.promised}`);
    t.promised = Math.max(t.promised, msg.promised);
    return true;
  }
  if (msg.type === 'ACK' && msg.of === 'PRECOMMIT' && msg.term === run.term && run.phase === 'precommit') {
    if (!run.acks.includes(from)) run.acks.push(from);
    if (run.waiting.every((p) => run.acks.includes(p))) finish(ctx, t, 'commit', 'every READY participant acknowledged PRECOMMIT');
    return true;
  }
  if ((msg.type === 'STATE-REQ' || msg.type === 'PRECOMMIT') && msg.term > run.term) {
    abandon(ctx, t, `${from} runs a higher term (${msg.term})`);
    return false;
  }
  return false;
}

export function terminationTimeout(ctx: PartCtx, t: PartTxn): void {
  const run = t.run;
  if (!run) return;
  const spec = t.spec!;
  if (run.phase === 'collect') {
    const missing = spec.participants.filter((p) => run.states[p] === undefined);
    if (run.requireAll && missing.length) {
      abandon(ctx, t, `no state from ${missing.join(', ')}; a recovered participant needs all of them`);
      return;
    }
    if (missing.length) ctx.fx.note(`no state from ${missing.join(', ')}: presumed down`, t.txn);
    evaluate(ctx, t);
  } else {
    const missing = run.waiting.filter((p) => !run.acks.includes(p));
    finish(ctx, t, 'commit', `no ACK from ${missing.join(', ')}: presumed down`);
  }
}

function evaluate(ctx: PartCtx, t: PartTxn): void {
  const run = t.run!;
  const {fx, node} = ctx;
  const states = Object.values(run.states);
  const summary = Object.entries(run.states).map(([p, s]) => `${p}=${s}`).join(' ');
  if (states.includes('COMMIT')) return finish(ctx, t, 'commit', `a participant committed (${summary})`);
  if (states.includes('ABORT')) return finish(ctx, t, 'abort', `a participant aborted (${summary})`);
  if (!states.includes('PRECOMMIT')) return finish(ctx, t, 'abort', `all reachable participants are READY (${summary}): nobody can have committed`);
  fx.note(`someone pre-committed (${summary}): pre-commits the READY ones, then commits`, t.txn);
  if (t.state === 'READY') {
    fx.log({type: 'PRECOMMIT', txn: t.txn, term: run.term}, true);
    ctx.set(t, 'PRECOMMIT');
    run.states[node.id] = 'PRECOMMIT';
  }
  run.waiting = Object.entries(run.states).filter(([p, s]) => p !== node.id && s === 'READY').map(([p]) => p);
  if (run.waiting.length === 0) return finish(ctx, t, 'commit', 'every reachable participant is pre-committed');
  run.phase = 'precommit';
  for (const p of run.waiting) fx.send(p, {type: 'PRECOMMIT', txn: t.txn, term: run.term});
  fx.timer(t.txn, 'term', ctx.cfg.timeoutMs);
}

function finish(ctx: PartCtx, t: PartTxn, outcome: Outcome, why: string): void {
  const term = t.run!.term;
  ctx.fx.note(`termination decides ${outcome.toUpperCase()}: ${why}`, t.txn);
  ctx.decide(t, outcome);
  const spec = t.spec!;
  for (const p of [...spec.participants.filter((p) => p !== ctx.node.id), t.coordinator]) ctx.fx.send(p, decisionMsg(outcome, t.txn, term));
}

function abandon(ctx: PartCtx, t: PartTxn, why: string): void {
  ctx.fx.cancel(t.txn, 'term').note(`gives up termination term ${t.run!.term}: ${why}`, t.txn);
  t.run = undefined;
  ctx.fx.timer(t.txn, 'decision', ctx.waitMs(t));
}
