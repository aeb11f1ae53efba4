import type {LatencySummary} from './types.js';

/** Nearest-rank quantile of an ascending array. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Sorts in place and summarizes: p50, p90, p99, p999, mean, max. */
export function summarize(values: Float64Array): LatencySummary {
  values.sort();
  let sum = 0;
  for (const v of values) sum += v;
  return {
    p50: quantile(values, 0.5), p90: quantile(values, 0.9), p99: quantile(values, 0.99), p999: quantile(values, 0.999),
    mean: values.length ? sum / values.length : NaN, max: values.length ? values[values.length - 1] : NaN,
  };
}

/** max / mean and coefficient of variation (population) of counts. */
export function spread(counts: number[]): {maxOverMean: number; cv: number} {
  if (counts.length === 0) return {maxOverMean: NaN, cv: NaN};
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  if (mean === 0) return {maxOverMean: NaN, cv: NaN};
  const sd = Math.sqrt(counts.reduce((a, b) => a + (b - mean) ** 2, 0) / counts.length);
  return {maxOverMean: Math.max(...counts) / mean, cv: sd / mean};
}

/** A histogram of ascending values in `buckets` log-spaced buckets from the 1st percentile (the first bucket takes all below) to the maximum. */
export function logHistogram(sorted: ArrayLike<number>, buckets = 12): {edgesMs: number[]; counts: number[]} {
  if (sorted.length === 0) return {edgesMs: [], counts: []};
  const lo = Math.max(quantile(sorted, 0.01), 1e-3);
  const hi = Math.max(sorted[sorted.length - 1], lo * 1.0001);
  const ratio = Math.pow(hi / lo, 1 / buckets);
  const edgesMs = Array.from({length: buckets}, (_, i) => lo * Math.pow(ratio, i + 1));
  edgesMs[buckets - 1] = hi;
  const counts = new Array<number>(buckets).fill(0);
  let b = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (b < buckets - 1 && sorted[i] > edgesMs[b]) b++;
    counts[b]++;
  }
  return {edgesMs, counts};
}
