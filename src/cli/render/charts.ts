import asciichart from 'asciichart';

const BLOCKS = ' ▁▂▃▄▅▆▇█';

/** Formats milliseconds compactly: 0.42ms, 12.3ms, 450ms, 12.3s. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(ms >= 100_000 ? 0 : 1)}s`;
  if (ms >= 100) return `${ms.toFixed(0)}ms`;
  if (ms >= 10) return `${ms.toFixed(1)}ms`;
  return `${ms.toFixed(2)}ms`;
}

export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '-';
}

/** Horizontal bars: one row per label, scaled to the largest value (log scale when asked). */
export function bars(rows: {label: string; value: number; text?: string}[], opts: {width?: number; log?: boolean} = {}): string {
  const width = opts.width ?? 40;
  const scale = (v: number) => (opts.log ? Math.log10(1 + Math.max(v, 0)) : Math.max(v, 0));
  const max = Math.max(...rows.map((r) => scale(r.value)), 1e-12);
  const pad = Math.max(...rows.map((r) => r.label.length));
  return rows.map((r) => {
    const exact = (scale(r.value) / max) * width;
    const full = Math.floor(exact);
    const part = Math.round((exact - full) * 8);
    const bar = '█'.repeat(full) + (part > 0 && full < width ? BLOCKS[part] : '');
    return `${r.label.padEnd(pad)}  ${bar.padEnd(width)}  ${r.text ?? String(r.value)}`;
  }).join('\n');
}

/** One block character per value, scaled to `max` (default: the largest value). */
export function sparkline(values: number[], max = Math.max(...values)): string {
  return values.map((v) => (max > 0 ? BLOCKS[Math.max(v > 0 ? 1 : 0, Math.round((v / max) * 8))] : BLOCKS[0])).join('');
}

/** A line chart (asciichart) of one or more series, resampled to `width` points. */
export function lineChart(series: number[][], opts: {height?: number; width?: number; format?: (x: number) => string} = {}): string {
  const width = opts.width ?? 60;
  const resample = (s: number[]) => (s.length <= width ? s : Array.from({length: width}, (_, i) => s[Math.floor((i * s.length) / width)]));
  return asciichart.plot(series.map(resample), {height: opts.height ?? 8, format: opts.format ?? ((x: number) => x.toFixed(0).padStart(8))});
}
