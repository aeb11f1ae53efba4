import type {CompareReport} from '../../lb/real/compare.js';
import type {Output} from '../output.js';
import {fmtMs, pct} from './charts.js';

/** `dial lb compare-real`: real and predicted share and latency per strategy and instance. */
export function renderCompare(out: Output, r: CompareReport): string {
  const faults = (f: {latencyMs: number; errorRate: number}) => [f.latencyMs ? `+${f.latencyMs}ms` : '', f.errorRate ? `${pct(f.errorRate, 0)} errors` : ''].filter(Boolean).join(', ') || '-';
  return [
    `${r.requests} calls of ${r.method} per strategy, ${r.concurrency} at a time; base latency ${fmtMs(r.baseMs)} (measured on instances without faults)`,
    '',
    out.table(['STRATEGY', 'INSTANCE', 'FAULTS', 'SHARE', 'PREDICTED', 'MEAN', 'PREDICTED'], r.rows.map((x) => [
      x.strategy, x.instance, faults(x.faults), pct(x.real.share), pct(x.predicted.share), fmtMs(x.real.meanMs), fmtMs(x.predicted.meanMs),
    ])),
    '',
    out.table(['STRATEGY', 'REQ/S', 'PREDICTED', 'MEAN', 'PREDICTED', 'P99', 'PREDICTED', 'ERRORS', 'PREDICTED'], r.totals.map((t) => [
      t.strategy, Math.round(t.real.rps), Math.round(t.predicted.rps), fmtMs(t.real.meanMs), fmtMs(t.predicted.meanMs), fmtMs(t.real.p99Ms), fmtMs(t.predicted.p99Ms),
      pct(t.real.errorRate), pct(t.predicted.errorRate),
    ])),
    '',
    out.color.dim('predicted: the simulator with each instance answering after the base latency plus its injected one, in parallel, to a closed loop of the same concurrency'),
  ].join('\n');
}
