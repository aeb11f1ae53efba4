import type {DbRecoverResult, DbRunResult, DbStatus, SetupResult} from '../../txn/db/index.js';
import type {Output} from '../output.js';
import {Timeline} from './txn-timeline.js';

const age = (ms?: number) => (ms === undefined ? '?' : ms < 1000 ? `${ms}ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 60_000)}min`);

/** The lanes of a database run: "p1 pg bank_a", "p3 mysql bank_c", "p2 dial". */
export function dbTimeline(out: Output, branches: {proc: string; url: string}[]): Timeline {
  const titles: Record<string, string> = {c: 'c coordinator'};
  for (const b of branches) titles[b.proc] = `${b.proc} ${b.url === 'dial' ? 'dial' : `${b.url.split(':')[0]} ${b.url.split('/').pop()}`}`;
  return new Timeline(['c', ...branches.map((b) => b.proc)], out.color, titles, out.stdout.columns || 110);
}

export function renderDbOutcome(out: Output, r: DbRunResult): string {
  const c = out.color;
  const rows = r.branches.map((b) => [
    b.proc, b.url, b.gid ?? '-',
    b.inDoubt ? c.yellow('PREPARED (in doubt)') : b.state === 'COMMIT' ? c.green('COMMIT') : b.state === 'ABORT' ? c.red('ABORT') : b.state ?? '-',
    b.balanceBefore === undefined || b.balanceBefore === b.balanceAfter ? String(b.balanceAfter ?? '-') : `${b.balanceBefore} -> ${b.balanceAfter}`,
  ]);
  const lines = ['', out.table(['BRANCH', 'DATABASE', 'GID', 'STATE', 'BALANCE'], rows), ''];
  if (r.crashed) lines.push(c.red.bold(`the coordinator crashed at ${r.crashed} (SIGKILL)`));
  if (r.outcome === 'in doubt') {
    const d = r.branches.filter((b) => b.inDoubt).map((b) => b.proc);
    lines.push(c.yellow.bold(`IN DOUBT: ${d.join(', ')} prepared and wait for a decision; their rows stay locked.`), "See 'dial txn status --db' (what they lock) and resolve with 'dial txn recover --db'.");
  } else if (r.outcome === 'split') lines.push(c.red.bold('ATOMICITY VIOLATED: some branches committed, others aborted.'));
  else lines.push((r.outcome === 'commit' ? c.green.bold : c.red.bold)(`${r.txn} ${r.outcome === 'commit' ? 'COMMITTED' : 'ABORTED'} in every branch; total ${r.total.after}${r.total.conserved ? ' (conserved)' : ''}.`));
  if (r.violations.length) lines.push(c.red.bold(`INVARIANTS VIOLATED:\n  ${r.violations.join('\n  ')}`));
  lines.push(c.dim(`coordinator ${r.coordinatorId}, log ${r.logFile}`));
  return lines.join('\n');
}

export function renderDbStatus(out: Output, s: DbStatus): string {
  const c = out.color;
  const lines: string[] = [];
  const rows = s.databases.flatMap((d) => (d.reachable ? d.inDoubt : []).map((x) => [
    x.gid, d.url, age(x.ageMs),
    x.owned === 'ours' ? (x.logged === 'commit' ? c.green('ours: COMMIT logged') : `ours: ${x.presumed ? 'no decision (presumed abort)' : 'ABORT logged'}`) : c.yellow(x.owned === 'other-dial' ? 'another dial coordinator' : 'not dial'),
  ]));
  lines.push(rows.length ? out.table(['IN-DOUBT BRANCH', 'DATABASE', 'AGE', 'COORDINATOR'], rows) : c.green('nothing in doubt in ' + s.databases.map((d) => d.url).join(', ')));
  const locks = s.databases.flatMap((d) => d.locked.map((l) => [d.url, `${l.table} '${l.key}'`, l.gid ?? '(an in-doubt XA branch)', l.probe ? `waited ${age(l.probe.waitedMs)}: ${l.probe.message}` : '-']));
  if (locks.length) lines.push('', out.table(['DATABASE', 'LOCKED ROW', 'HELD BY', 'A PLAIN UPDATE OF IT'], locks));
  const bal = s.databases.flatMap((d) => d.balances.map((b) => [d.url, b.account, b.balance]));
  if (bal.length) lines.push('', out.table(['DATABASE', 'ACCOUNT', 'BALANCE (committed)'], bal));
  for (const d of s.databases.filter((x) => !x.reachable)) lines.push(c.red(`${d.url}: ${d.error}`));
  if (rows.length) lines.push('', "'dial txn recover --db' resolves the branches marked ours; others are left alone (--force-abort GID)");
  lines.push(c.dim(`coordinator ${s.coordinatorId}, log ${s.logFile}`));
  return lines.join('\n');
}

export function renderDbRecover(out: Output, r: DbRecoverResult): string {
  const c = out.color;
  const lines = [r.actions.length ? out.table(['BRANCH', 'DATABASE', 'ACTION', 'WHY'], r.actions.map((a) => [a.gid, a.url, a.action === 'left alone' ? c.yellow(a.action) : a.action === 'committed' ? c.green(a.action) : a.action, a.why])) : 'nothing in doubt: nothing to do'];
  lines.push('', `total ${r.total} over ${r.balances.map((b) => `${b.account}=${b.balance}`).join(', ')}`);
  if (r.leftInDoubt.length) lines.push(c.yellow(`still in doubt: ${r.leftInDoubt.join(', ')}`));
  return lines.join('\n');
}

export function renderSetup(out: Output, s: SetupResult): string {
  return [out.table(['BRANCH', 'DATABASE', 'ACCOUNT', 'BALANCE', ''], s.databases.map((d) => [d.proc, d.url, d.account, d.balance, d.createdDatabase ? 'database created' : ''])), '', `coordinator ${s.coordinatorId}: its branches are named dial:${s.coordinatorId}:<txn>:<branch>`].join('\n');
}
