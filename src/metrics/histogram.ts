import type {MetricFamily} from './exposition.js';

/** Cumulative histogram buckets: upper bound (Infinity for +Inf) -> count of observations <= bound. */
export type Buckets = Map<number, number>;

/**
 * The q-quantile of a cumulative histogram, as Prometheus's
 * histogram_quantile() computes it: linear interpolation inside the bucket
 * where the rank falls; the highest finite bound when it falls in +Inf.
 * Undefined when the histogram is empty.
 */
export function histogramQuantile(q: number, buckets: Buckets): number | undefined {
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (bound === Infinity) return prevBound;
      if (count === prevCount) return bound;
      return prevBound + ((bound - prevBound) * (rank - prevCount)) / (count - prevCount);
    }
    prevBound = bound;
    prevCount = count;
  }
  return prevBound;
}

/** Sums the buckets of every series of histogram `name` whose labels pass `filter`. */
export function mergedBuckets(families: MetricFamily[], name: string, filter: (labels: Record<string, string>) => boolean = () => true): Buckets {
  const out: Buckets = new Map();
  const fam = families.find((f) => f.name === name);
  for (const s of fam?.samples ?? []) {
    if (s.name !== `${name}_bucket` || !filter(s.labels)) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    out.set(le, (out.get(le) ?? 0) + s.value);
  }
  return out;
}

/** later - earlier per bucket (a counter reset, when a process restarted, counts from zero). */
export function bucketDelta(later: Buckets, earlier: Buckets | undefined): Buckets {
  const out: Buckets = new Map();
  const reset = earlier !== undefined && [...later].some(([le, c]) => c < (earlier.get(le) ?? 0));
  for (const [le, c] of later) out.set(le, reset || !earlier ? c : c - (earlier.get(le) ?? 0));
  return out;
}
