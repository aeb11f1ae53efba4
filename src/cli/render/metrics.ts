import {sampleKey} from '../../metrics/exposition.js';
import {summarizeHistogram, type MetricsReport} from '../../metrics/report.js';
import type {Output} from '../output.js';

/** `dial metrics`: one row per series; histograms as count, sum and estimated p50/p99. */
export function renderMetrics(out: Output, report: MetricsReport): string {
  const rows: string[][] = [];
  for (const t of report.targets) {
    if (t.error) {
      rows.push([t.id, out.color.red('(scrape failed)'), t.error]);
      continue;
    }
    for (const f of t.families) {
      if (f.type === 'histogram') {
        for (const h of summarizeHistogram(f)) {
          const q = (v: number | undefined) => (v === undefined ? '-' : fmt(v));
          rows.push([t.id, sampleKey({name: f.name, labels: h.labels}), `count=${h.count} sum=${fmt(h.sum)} p50~${q(h.p50)} p99~${q(h.p99)}`]);
        }
      } else {
        for (const s of f.samples) rows.push([t.id, sampleKey(s), fmt(s.value)]);
      }
    }
  }
  if (rows.length === 0) return 'no samples (check --match)';
  return out.table(['TARGET', 'METRIC', 'VALUE'], rows);
}

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : String(Number(v.toPrecision(4)));
}
