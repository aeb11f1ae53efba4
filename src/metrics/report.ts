import {usageError} from '../errors/index.js';
import type {MetricFamily, Sample} from './exposition.js';
import {histogramQuantile, type Buckets} from './histogram.js';
import type {ScrapeResult, ScrapeTarget, Scraper} from './scrape.js';

/** One target's current samples, as `dial metrics` shows them. */
export interface TargetMetrics extends ScrapeTarget {
  error?: string;
  families: {name: string; type: string; help: string; samples: Sample[]}[];
}

export interface MetricsReport {
  scrapedAt: string;
  targets: TargetMetrics[];
}

/** Compiles --match; a bad pattern is a usage error. */
export function matchRegex(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern);
  } catch (e) {
    throw usageError(`--match '${pattern}' is not a valid regular expression: ${(e as Error).message}`, "e.g. --match 'dial_requests|latency'");
  }
}

/** Scrapes the selected targets and keeps the metric families whose name matches. */
export async function metricsReport(scraper: Scraper, select?: string, match?: RegExp, signal?: AbortSignal): Promise<MetricsReport> {
  const results = await scraper.scrapeAll(await scraper.targets(select), signal);
  return {scrapedAt: new Date().toISOString(), targets: results.map((r) => filterResult(r, match))};
}

export function filterResult(r: ScrapeResult, match?: RegExp): TargetMetrics {
  const families = match ? r.families.filter((f) => match.test(f.name)) : r.families;
  return {...r.target, ...(r.error ? {error: r.error} : {}), families};
}

/** A histogram series summarized: count, sum and estimated p50/p99 (in the metric's unit). */
export interface HistogramSummary {
  labels: Record<string, string>;
  count: number;
  sum: number;
  p50?: number;
  p99?: number;
}

/** Groups a histogram family's _bucket/_sum/_count samples by series. */
export function summarizeHistogram(f: MetricFamily): HistogramSummary[] {
  const series = new Map<string, {labels: Record<string, string>; buckets: Buckets; count: number; sum: number}>();
  for (const s of f.samples) {
    const {le, ...labels} = s.labels;
    const key = JSON.stringify(labels);
    let e = series.get(key);
    if (!e) series.set(key, (e = {labels, buckets: new Map(), count: 0, sum: 0}));
    if (s.name.endsWith('_bucket')) e.buckets.set(le === '+Inf' ? Infinity : Number(le), s.value);
    else if (s.name.endsWith('_count')) e.count = s.value;
    else if (s.name.endsWith('_sum')) e.sum = s.value;
  }
  return [...series.values()].map((e) => ({
    labels: e.labels, count: e.count, sum: e.sum, p50: histogramQuantile(0.5, e.buckets), p99: histogramQuantile(0.99, e.buckets),
  }));
}
