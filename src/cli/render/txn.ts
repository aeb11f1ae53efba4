import type {BalancesView, RunResult, StatusView} from '../../txn/real/wire.js';
import type {SimulatedRun} from '../../txn/simulate.js';
import type {Output} from '../output.js';
import {Timeline} from './txn-timeline.js';

/** The column titles: "c coordinator", "p1 a=100". */
export function laneTitles(participants: string[], balances: Record<string, number | undefined> = {}): Record<string, string> {
  const t: Record<string, string> = {c: 'c coordinator'};
  participants.forEach((p, i) => {
    const acc = String.fromCharCode(97 + i);
    t[p] = `${p} ${acc}${balances[p] !== undefined ? `=${balances[p]}` : ''}`;
  });
  return t;
}

export function newTimeline(out: Output, participants: string[], balances?: Record<string, number | undefined>): Timeline {
  return new Timeline(['c', ...participants], out.color, laneTitles(participants, balances), out.stdout.columns || 110);
}

/** The outcome per participant and a verdict, after the timeline. */
export function renderOutcome(out: Output, r: RunResult): string {
  const c = out.color;
  const rows = r.processes.map((p) => [
    p.proc,
    p.account ?? '-',
    !p.up ? c.red('down') : p.state === 'COMMIT' ? c.green(p.state) : p.state === 'ABORT' ? c.red(p.state) : p.state ? c.yellow(p.state) : '-',
    p.balanceBefore === undefined ? '-' : p.balanceAfter === undefined || p.balanceAfter === p.balanceBefore ? String(p.balanceBefore) : `${p.balanceBefore} -> ${p.balanceAfter}`,
    p.lockedBy ? c.yellow(`locked by ${p.lockedBy}`) : '',
  ]);
  const lines = ['', out.table(['PROCESS', 'ACCOUNT', r.txn ? `STATE OF ${r.txn}` : 'STATE', 'BALANCE', 'LOCK'], rows), ''];
  const blocked = r.processes.filter((p) => p.state === 'READY' || p.state === 'PRECOMMIT').map((p) => p.proc);
  const committed = r.processes.filter((p) => p.proc !== 'c' && p.state === 'COMMIT').map((p) => p.proc);
  const aborted = r.processes.filter((p) => p.proc !== 'c' && p.state === 'ABORT').map((p) => p.proc);
  if (r.outcome === 'split') {
    lines.push(c.red.bold(`ATOMICITY VIOLATED: ${committed.join(', ')} committed while ${aborted.join(', ')} aborted.`));
  } else if (blocked.length) {
    lines.push(c.yellow.bold(`IN DOUBT: ${blocked.join(', ')} ${blocked.length > 1 ? 'are' : 'is'} prepared and cannot decide alone; ${blocked.length > 1 ? 'they hold their' : 'it holds its'} lock${blocked.length > 1 ? 's' : ''}.`));
    lines.push(`Run 'dial txn recover' to restart crashed processes (or heal the network) and watch them resolve it.`);
  } else if (r.txn) {
    const v = verdict(r);
    lines.push(r.outcome === 'commit' ? c.green.bold(v) : c.red.bold(v));
  }
  const down = r.processes.filter((p) => !p.up).map((p) => p.proc);
  if (down.length && r.kind === 'run') lines.push(`Down: ${down.join(', ')} (crashed; 'dial txn recover' restarts them from their logs).`);
  return lines.join('\n');
}

const list = (ps: string[]) => ps.join(', ');

/**
 * Who reached the outcome, and what the others know: "T1 COMMITTED at p2, p3;
 * p1 down (its log: PRECOMMIT: in doubt, it asks when it recovers); c down
 * (its log says COMMIT)." "At every participant" only when all of them have it.
 */
export function verdict(r: RunResult): string {
  const word = r.outcome === 'commit' ? 'COMMITTED' : 'ABORTED';
  const want = r.outcome === 'commit' ? 'COMMIT' : 'ABORT';
  const parts = r.processes.filter((p) => p.proc !== 'c');
  const reached = parts.filter((p) => p.state === want).map((p) => p.proc);
  const head = reached.length === parts.length
    ? `${r.txn} ${word} at every participant (${list(reached)})`
    : reached.length
      ? `${r.txn} ${word} at ${list(reached)}`
      : `${r.txn} ${word}${r.outcome === 'abort' ? ' (presumed: no participant holds it)' : ''}`;
  const notes: string[] = [];
  const unheard = parts.filter((p) => p.up && !p.state).map((p) => p.proc);
  if (unheard.length) notes.push(`${list(unheard)} never heard of ${r.txn} (nothing to undo)`);
  const other = parts.filter((p) => p.up && p.state && p.state !== want).map((p) => `${p.proc} ${p.state}`);
  if (other.length) notes.push(list(other));
  for (const p of r.processes.filter((x) => !x.up)) notes.push(`${p.proc} down (${downNote(p.proc === 'c', p.logState, r.txn)})`);
  return `${head}${notes.length ? `; ${notes.join('; ')}` : ''}.`;
}

function downNote(coordinator: boolean, logState: string | undefined, txn?: string): string {
  if (!logState) return `no record of ${txn}: ${coordinator ? 'presumed abort' : 'nothing to undo'}`;
  if (['COMMIT', 'ABORT', 'END'].includes(logState)) return `its log says ${logState}`;
  return `its log: ${logState}: in doubt, it asks when it recovers`;
}

export function renderStatus(out: Output, s: StatusView): string {
  const c = out.color;
  if (!s.processes.length) return "no txn processes yet: 'dial txn run' starts them";
  const rows = s.processes.map((p) => [
    p.proc,
    p.role,
    p.up ? c.green(`up (pid ${p.pid})`) : c.red(`down (${p.exit})`),
    p.account ? `${p.account}=${p.balance}` : '-',
    p.inDoubt.length ? c.yellow(p.inDoubt.map((x) => `${x.txn} ${x.state}`).join(', ')) : '-',
    p.lockedBy ?? '-',
    `${p.logRecords} records`,
  ]);
  const lines = [out.table(['PROCESS', 'ROLE', 'STATE', 'ACCOUNT', 'IN DOUBT', 'LOCK', 'LOG'], rows)];
  if (s.running) lines.push('', `run ${s.running} in progress`);
  if (s.runs.length) lines.push('', `recent runs: ${s.runs.map((r) => `${r.id} ${r.outcome}`).join(', ')}`);
  if (s.processes.some((p) => !p.up)) lines.push('', "down processes were read from their logs; 'dial txn recover' restarts them");
  return lines.join('\n');
}

export function renderBalances(out: Output, b: BalancesView): string {
  const c = out.color;
  if (!b.accounts.length) return "no accounts yet: 'dial txn run' creates them (100 each)";
  const rows = b.accounts.map((a) => [a.account, a.proc, a.balance, a.lockedBy ? c.yellow(`locked by ${a.lockedBy}`) : '', a.up ? '' : c.dim('(from its log: down)')]);
  return [
    out.table(['ACCOUNT', 'HELD BY', 'BALANCE', 'LOCK', ''], rows),
    '',
    b.conserved ? c.green(`total ${b.total} (conserved: ${b.accounts.length} x 100)`) : c.red.bold(`total ${b.total}, expected ${b.expected}: NOT conserved (an atomicity violation, e.g. the 3PC partition scenario)`),
  ].join('\n');
}

/** `txn run --in-process`: the whole simulated run, the outcome and the invariants' verdict. */
export function renderSimulated(out: Output, r: SimulatedRun): string {
  const c = out.color;
  const lane = newTimeline(out, r.participants);
  const lines = [c.bold(`${r.protocol?.toUpperCase()}  transfer ${r.transfer}  (in-process, seed ${r.seed}, virtual ms)`), ...lane.header(), ...lane.rows(r.events)];
  lines.push(renderOutcome(out, r));
  lines.push('', r.violations.length
    ? c.red.bold(`INVARIANTS VIOLATED (seed ${r.seed}):\n  ${r.violations.join('\n  ')}`)
    : c.green('every invariant held: atomicity, validity, durability across restarts, write-ahead, liveness after repair, conserved total'));
  return lines.join('\n');
}

/** A callback that prints timeline rows as events arrive. */
export function liveRows(lane: Timeline, log: (s: string) => void): (events: RunResult['events']) => void {
  return (events) => {
    const rows = lane.rows(events);
    if (rows.length) log(rows.join('\n'));
  };
}

/** Wraps prose to the terminal (or 100 columns). */
export function wrap(text: string, width = 100): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join('\n');
}
