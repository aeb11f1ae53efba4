import {usageError} from '../errors/index.js';
import type {Pid} from './types.js';

/** Every participant starts with one account of this balance; the total is the invariant. */
export const INITIAL_BALANCE = 100;
export const COORDINATOR: Pid = 'c';

/** Participant ids p1..pN. */
export function participantIds(n: number): Pid[] {
  return Array.from({length: n}, (_, i) => `p${i + 1}`);
}

/** The account a participant holds: p1 -> a, p2 -> b, ... */
export function accountOf(p: Pid): string {
  const i = Number(p.slice(1)) - 1;
  return i < 26 ? String.fromCharCode(97 + i) : `a${i}`;
}

export function participantOfAccount(account: string, participants: Pid[]): Pid | undefined {
  return participants.find((p) => accountOf(p) === account);
}

export interface Transfer {
  from: string;
  to: string;
  amount: number;
}

/** Parses 'a->b:50' (several joined by commas) into transfers between the participants' accounts. */
export function parseTransfers(text: string, participants: Pid[]): Transfer[] {
  const accounts = participants.map(accountOf);
  const out: Transfer[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z]\w*)\s*->\s*([a-z]\w*)\s*:\s*(\d+)$/.exec(part);
    if (!m) throw usageError(`--transfer: '${part}' is not FROM->TO:AMOUNT`, `write it like 'a->b:50'; accounts are ${accounts.join(', ')}`);
    const [, from, to, amount] = m;
    for (const acc of [from, to]) {
      if (!accounts.includes(acc)) throw usageError(`--transfer: there is no account '${acc}'`, `with ${participants.length} participants the accounts are ${accounts.join(', ')} (p1 holds a, p2 holds b, ...)`);
    }
    if (from === to) throw usageError(`--transfer: '${part}' moves money from an account to itself`);
    out.push({from, to, amount: Number(amount)});
  }
  if (out.length === 0) throw usageError('--transfer: no transfer given', "write it like 'a->b:50'");
  return out;
}

/** The balance change of each participant (sums to zero). */
export function deltasOf(transfers: Transfer[], participants: Pid[]): Record<Pid, number> {
  const deltas: Record<Pid, number> = Object.fromEntries(participants.map((p) => [p, 0]));
  for (const t of transfers) {
    deltas[participantOfAccount(t.from, participants)!] -= t.amount;
    deltas[participantOfAccount(t.to, participants)!] += t.amount;
  }
  return deltas;
}
