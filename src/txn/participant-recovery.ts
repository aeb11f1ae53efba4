import {Fx} from './effects.js';
import {newParticipant, type PartNode, type PartTxn} from './participant.js';
import type {Effect, LogRecord, MachineConfig, Pid, ProcessPolicy} from './types.js';

/**
 * Rebuilds a participant from its durable log: the account balance (the
 * ACCOUNT record plus every committed delta), the decided transactions, and
 * the undecided ones (PREPARED or PRECOMMIT without a decision). Those hold
 * the account's lock again and ask at once: in 2PC the coordinator and the
 * peers; in 3PC everyone, and a recovered participant terminates only with
 * the states of all participants.
 */
export function recoverParticipant(
  id: Pid,
  records: LogRecord[],
  cfg: MachineConfig,
  opts: {account: string; balance: number; policy?: ProcessPolicy},
): {node: PartNode; effects: Effect[]; summary: string[]} {
  const fx = new Fx();
  const node = newParticipant(id, opts.account, opts.balance, opts.policy);
  const summary: string[] = [];
  const hasAccount = records.some((r) => r.type === 'ACCOUNT');
  if (!hasAccount) fx.log({type: 'ACCOUNT', account: opts.account, balance: opts.balance}, true);
  for (const r of records) {
    if (r.type === 'ACCOUNT') {
      node.account = r.account;
      node.balance = r.balance;
      continue;
    }
    if (r.type === 'BEGIN' || r.type === 'END') continue;
    const t: PartTxn = node.txns[r.txn] ?? {txn: r.txn, coordinator: 'c', state: 'INIT', promised: 0};
    node.txns[r.txn] = t;
    if (r.type === 'PREPARED') {
      t.spec = {txn: r.txn, protocol: r.protocol, participants: r.participants, deltas: r.deltas};
      t.coordinator = r.coordinator;
      if (t.state === 'INIT') t.state = 'READY';
    } else if (r.type === 'PRECOMMIT') {
      if (t.state === 'READY') t.state = 'PRECOMMIT';
      t.promised = Math.max(t.promised, r.term);
    } else if (r.type === 'PROMISE') t.promised = Math.max(t.promised, r.term);
    else if (r.type === 'COMMIT') {
      if (t.state !== 'COMMIT') node.balance += r.delta ?? t.spec?.deltas[id] ?? 0;
      t.state = 'COMMIT';
    } else if (r.type === 'ABORT') t.state = 'ABORT';
  }
  for (const t of Object.values(node.txns)) {
    if (t.state !== 'READY' && t.state !== 'PRECOMMIT') continue;
    const spec = t.spec!;
    t.recovered = true;
    node.lockedBy = t.txn;
    const peers = spec.participants.filter((p) => p !== id);
    summary.push(`${t.txn}: ${t.state} in the log, no decision: in doubt, locks ${node.account} and asks ${[t.coordinator, ...peers].join(', ')}`);
    fx.state(t.txn, 'INIT', t.state);
    if (spec.protocol === '3pc') t.uncertain = [];
    for (const p of [t.coordinator, ...peers]) fx.send(p, {type: 'INQUIRE', txn: t.txn});
    fx.timer(t.txn, 'decision', 2 * cfg.timeoutMs);
  }
  const decided = Object.values(node.txns).filter((t) => t.state === 'COMMIT' || t.state === 'ABORT').length;
  summary.unshift(`${node.account}=${node.balance} from the log${decided ? `, ${decided} decided transaction(s)` : ''}`);
  return {node, effects: fx.list, summary};
}
