import {randomBytes} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

/**
 * Global transaction ids of dial's database branches:
 *
 *   dial:<coordinator-id>:<txn-id>:<branch>     e.g. dial:3f9a1c2e:T1k2j3h4-4549001:p2
 *
 * coordinator-id is 8 hex digits made once per DIAL_HOME (its file
 * txn-db/coordinator-id), txn-id is `T<ms since epoch, base 36>-<n>` (so the
 * age of a branch shows in its id; n counts from the process id times 1000,
 * so concurrent coordinators of one DIAL_HOME never collide), branch is the participant (p1, p2, ...).
 * Under 64 bytes, the limit of an XA gtrid; only [a-z0-9:-], so it needs no
 * quoting in SQL. Recovery touches only branches whose id names its own
 * coordinator.
 */
export interface Gid {
  coordinator: string;
  txn: string;
  branch: string;
}

const RE = /^dial:([0-9a-f]{8}):(T[0-9a-z]+-\d+):(p\d{1,2})$/;

export function formatGid(g: Gid): string {
  return `dial:${g.coordinator}:${g.txn}:${g.branch}`;
}

export function parseGid(text: string): Gid | undefined {
  const m = RE.exec(text);
  return m ? {coordinator: m[1], txn: m[2], branch: m[3]} : undefined;
}

/** A gid safe to put in SQL as a literal (dial's, or one a user names for --force-abort). */
export function sqlSafeGid(text: string): boolean {
  return /^[\w:.\-@]{1,64}$/.test(text);
}

// Starts from the process id, so two coordinators of one DIAL_HOME (two `dial txn run` at once)
// never make the same id in the same millisecond: their logs and gids must not mix.
let seq = (process.pid % 100_000) * 1000;
/** A new transaction id; its time part tells the age of its branches. */
export function newTxnId(now = Date.now()): string {
  return `T${now.toString(36)}-${++seq}`;
}

/** When the transaction began, from its id (undefined for ids dial did not make). */
export function txnStartedAt(txn: string): number | undefined {
  const m = /^T([0-9a-z]+)-\d+$/.exec(txn);
  const t = m ? parseInt(m[1], 36) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

/** This DIAL_HOME's coordinator id: made on first use, then kept. */
export function coordinatorId(dir: string): string {
  const file = join(dir, 'coordinator-id');
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{8}$/.test(id)) return id;
  }
  mkdirSync(dir, {recursive: true, mode: 0o700});
  const id = randomBytes(4).toString('hex');
  writeFileSync(file, id + '\n', {mode: 0o600});
  return id;
}
