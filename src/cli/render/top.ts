import {sparkline, type TopRow} from '../../metrics/top.js';
import type {Output} from '../output.js';

const num = (v: number | undefined, digits = 1) => (v === undefined ? '-' : v.toFixed(digits));
const pct = (v: number | undefined) => (v === undefined ? '-' : `${(v * 100).toFixed(1)}%`);

/** The full-screen frame of `dial top`, fitted to width x height. */
export function renderTopFrame(out: Output, rows: TopRow[], o: {at: Date; intervalMs: number; width: number; height: number; select?: string}): string {
  const c = out.color;
  const spark = Math.max(8, Math.min(40, o.width - 104));
  const head = `dial top${o.select ? ` ${o.select}` : ''} - ${o.at.toLocaleTimeString()} - every ${(o.intervalMs / 1000).toFixed(1)}s - ${rows.length} targets - q quits`;
  const table = out.table(
    ['INSTANCE', 'SERVICE', 'HEALTH', 'RPS', 'ERR%', 'P50 MS', 'P99 MS', 'INFLIGHT', `RPS (last ${spark} refreshes)`],
    rows.map((r) => [
      r.id, r.service, r.up ? out.health(r.health) : c.red('down'),
      num(r.stats.rps), (r.stats.errorRate ?? 0) > 0 ? c.red(pct(r.stats.errorRate)) : pct(r.stats.errorRate),
      num(r.stats.p50Ms, 2), num(r.stats.p99Ms, 2), String(r.stats.inFlight), c.cyan(sparkline(r.history, spark)),
    ]),
  );
  const lines = [c.bold(head), '', ...table.split('\n')];
  const errors = rows.filter((r) => r.error).map((r) => c.dim(`${r.id}: ${r.error}`));
  return [...lines, ...(errors.length ? ['', ...errors] : [])].slice(0, Math.max(1, o.height - 1)).map((l) => l.slice(0, o.width + 40)).join('\n');
}

/** One plain line per target, for a stdout that is not a terminal. */
export function renderTopLines(rows: TopRow[], at: Date): string {
  return rows.map((r) => [
    at.toISOString(), r.id, `service=${r.service}`, `health=${r.up ? r.health : 'down'}`, `rps=${num(r.stats.rps)}`,
    `err=${pct(r.stats.errorRate)}`, `p50_ms=${num(r.stats.p50Ms, 2)}`, `p99_ms=${num(r.stats.p99Ms, 2)}`, `inflight=${r.stats.inFlight}`,
  ].join(' ')).join('\n');
}
