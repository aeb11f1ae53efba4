import type {SimulationReport, StrategyResult} from '../../lb/simulator/index.js';
import type {Output} from '../output.js';
import {bars, fmtMs, lineChart, pct, sparkline} from './charts.js';

function header(r: SimulationReport): string {
  const a = r.arrival;
  const load = a.kind === 'closed'
    ? `closed loop, ${a.clients} clients`
    : `${a.kind} arrivals at ${Math.round(a.rate ?? 0)} req/s (${pct((a.rate ?? 0) / r.capacity, 0)} of ${Math.round(r.capacity)} req/s capacity)`;
  const keys = `${r.keys.count} ${r.keys.zipf > 0 ? `Zipf(s=${r.keys.zipf})` : 'uniform'} keys`;
  const backends = r.backends.map((b) => `${b.id}${b.weight !== 1 ? ` w=${b.weight}` : ''} ${b.service.kind} ${fmtMs(b.service.meanMs)}${b.concurrency > 1 ? ` x${b.concurrency}` : ''}${b.errorRate ? ` err=${pct(b.errorRate, 0)}` : ''}${b.join ? ' (joins)' : ''}${b.leave ? ' (leaves)' : ''}`);
  return [
    ...(r.scenario ? [`scenario ${r.scenario}: ${r.description}`] : []),
    `${r.requests} requests, ${load}, ${keys}, seed ${r.seed}`,
    `backends: ${backends.join('; ')}`,
  ].join('\n');
}

/** The comparison table: one row per strategy, in ranking order. */
export function comparisonTable(out: Output, r: SimulationReport): string {
  const byName = new Map(r.results.map((x) => [x.strategy, x]));
  const remap = r.results.some((x) => x.keysRemapped !== undefined);
  return out.table(
    ['#', 'STRATEGY', 'P50', 'P90', 'P99', 'P99.9', 'MEAN', 'REQ/S', 'ERRORS', 'MAX/MEAN', 'CV', ...(remap ? ['REMAPPED'] : [])],
    r.ranking.map((name, i) => {
      const x = byName.get(name)!;
      const l = x.latency;
      return [
        i + 1, x.strategy, fmtMs(l.p50), fmtMs(l.p90), fmtMs(l.p99), fmtMs(l.p999), fmtMs(l.mean), Math.round(x.throughput), pct(x.errorRate),
        x.load.maxOverMean.toFixed(2), x.load.cv.toFixed(3), ...(remap ? [x.keysRemapped === undefined ? '-' : pct(x.keysRemapped)] : []),
      ];
    }),
  );
}

function shareTable(out: Output, r: SimulationReport): string {
  const ids = r.backends.map((b) => b.id);
  return out.table(
    ['STRATEGY', 'LOAD', ...ids.map((id) => id.toUpperCase())],
    r.ranking.map((name) => {
      const x = r.results.find((y) => y.strategy === name)!;
      return [x.strategy, sparkline(x.backends.map((b) => b.share), Math.max(...r.results.flatMap((y) => y.backends.map((b) => b.share)))), ...x.backends.map((b) => pct(b.share))];
    }),
  );
}

function single(x: StrategyResult): string[] {
  const parts: string[] = [];
  const h = x.histogram;
  if (h.counts.length) {
    parts.push('latency histogram (successful requests, log-spaced buckets)', bars(h.edgesMs.map((e, i) => ({label: `<= ${fmtMs(e)}`, value: h.counts[i], text: String(h.counts[i])}))));
  }
  parts.push('', 'requests per backend', bars(x.backends.map((b) => ({label: b.id, value: b.picks, text: `${b.picks} (${pct(b.share)}), mean ${fmtMs(b.meanLatencyMs)}, util ${pct(b.utilization, 0)}, max queue ${b.maxQueue}`}))));
  if (x.backends.some((b) => b.maxQueue > 10)) {
    const worst = [...x.backends].sort((a, b) => b.maxQueue - a.maxQueue).slice(0, 3);
    parts.push('', `waiting requests over the run (${worst.map((b) => b.id).join(', ')})`, lineChart(worst.map((b) => b.queueSeries)));
  }
  return parts;
}

/** The human view of `dial lb simulate`: header, ranking table, per-backend shares, charts. */
export function renderSimulation(out: Output, r: SimulationReport, charts: boolean): string {
  const b = (s: string) => out.color.bold(s);
  const parts = [header(r), '', comparisonTable(out, r)];
  if (r.results.length > 1) {
    parts.push('', b('share of requests per backend'), shareTable(out, r));
    if (charts) {
      parts.push('', b('p99 latency by strategy (log scale)'), bars(r.ranking.map((name) => {
        const x = r.results.find((y) => y.strategy === name)!;
        return {label: name, value: x.latency.p99, text: fmtMs(x.latency.p99)};
      }), {log: true}));
    }
  } else if (charts) parts.push('', ...single(r.results[0]));
  parts.push('', out.color.dim(`ranked by error rate, then p99, then mean; latency of successful requests; load = requests per backend (max/mean, coefficient of variation)${r.results.some((x) => x.keysRemapped !== undefined) ? '; remapped = keys whose backend changed across a membership change' : ''}`));
  return parts.join('\n');
}

/** CSV: one row per strategy, with a share column per backend. */
export function simulationCsv(r: SimulationReport): string {
  const ids = r.backends.map((b) => b.id);
  const head = ['strategy', 'kind', 'p50_ms', 'p90_ms', 'p99_ms', 'p999_ms', 'mean_ms', 'throughput_rps', 'error_rate', 'max_over_mean', 'cv', 'keys_remapped', ...ids.map((id) => `share_${id}`)];
  const rows = r.results.map((x) => [
    x.strategy, x.kind, x.latency.p50, x.latency.p90, x.latency.p99, x.latency.p999, x.latency.mean, x.throughput, x.errorRate,
    x.load.maxOverMean, x.load.cv, x.keysRemapped ?? '', ...x.backends.map((b) => b.share),
  ].map((v) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v)));
  return [head, ...rows].map((r) => r.join(',')).join('\n');
}
