import type {LoadReport} from '../../lb/real/types.js';
import type {Output} from '../output.js';
import {bars, fmtMs, pct} from './charts.js';

/** Per-instance distribution: requests, share, ok, errors, latency. */
export function instanceTable(out: Output, r: LoadReport): string {
  return out.table(
    ['INSTANCE', 'ADDRESS', 'WEIGHT', 'REQUESTS', 'SHARE', 'OK', 'ERRORS', 'MEAN', 'P50', 'P99'],
    [...r.instances].sort((a, b) => a.id.localeCompare(b.id)).map((i) => [
      i.id, i.address, i.weight, i.requests, pct(i.share), i.ok, i.errors, fmtMs(i.latency.mean), fmtMs(i.latency.p50), fmtMs(i.latency.p99),
    ]),
  );
}

function statusLines(r: LoadReport): string {
  return r.statuses.map((s) => `  [${s.name}]  ${s.count} responses${s.message ? `  (${s.message})` : ''}`).join('\n');
}

/** `dial call --lb -n -c`: one summary line, per-instance counts and latency, statuses. */
export function renderBalancedCall(out: Output, r: LoadReport): string {
  const l = r.latency;
  return [
    `${r.count} calls of ${r.method} with ${r.strategy}, ${r.concurrency} at a time: ${r.ok} ok, ${r.errors} failed${r.retries ? `, ${r.retries} retried on another instance` : ''}; ${Math.round(r.requestsPerSecond)} req/s; latency p50 ${fmtMs(l.p50)}, p99 ${fmtMs(l.p99)}${r.interrupted ? out.color.yellow(' (interrupted)') : ''}`,
    '',
    instanceTable(out, r),
    ...(r.errors ? ['', 'Status code distribution:', statusLines(r)] : []),
  ].join('\n');
}

/** `dial bench`: a ghz-like summary, histogram, latency distribution, statuses, instances. */
export function renderBench(out: Output, r: LoadReport): string {
  const b = (s: string) => out.color.bold(s);
  const l = r.latency;
  const h = r.histogram;
  const lines = [
    b('Summary:'),
    `  Target:       ${r.target} (${r.instances.length} instance${r.instances.length === 1 ? '' : 's'}, ${r.strategy})`,
    `  Method:       ${r.method}`,
    `  Count:        ${r.count}${r.interrupted ? out.color.yellow(' (interrupted)') : ''}`,
    `  Concurrency:  ${r.concurrency}${r.rps ? `, at most ${r.rps} req/s` : ''}`,
    `  Total:        ${fmtMs(r.totalMs)}`,
    `  Slowest:      ${fmtMs(l.max)}`,
    `  Fastest:      ${fmtMs(l.min)}`,
    `  Average:      ${fmtMs(l.mean)}`,
    `  Requests/sec: ${r.requestsPerSecond.toFixed(2)}`,
    ...(r.retries ? [`  Retries:      ${r.retries} (UNAVAILABLE, on another instance)`] : []),
    '',
    b('Response time histogram:'),
    bars(h.edgesMs.map((e, i) => ({label: `  ${fmtMs(e).padStart(8)}`, value: h.counts[i], text: `[${h.counts[i]}]`}))),
    '',
    b('Latency distribution:'),
    `  50 % in ${fmtMs(l.p50)}`,
    `  90 % in ${fmtMs(l.p90)}`,
    `  99 % in ${fmtMs(l.p99)}`,
    `  99.9 % in ${fmtMs(l.p999)}`,
    '',
    b('Status code distribution:'),
    statusLines(r),
    '',
    b('Instances:'),
    instanceTable(out, r),
  ];
  return lines.join('\n');
}
