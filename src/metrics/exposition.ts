import {getMetricsFromIterator} from 'prom2javascript';
import {DialError} from '../errors/index.js';

/** One sample of the Prometheus data model: name{labels} value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A metric family: HELP, TYPE and its samples (histograms as _bucket/_sum/_count samples). */
export interface MetricFamily {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

interface PromMetric {
  type: string;
  help: string;
  data: {labels: Record<string, string>; value?: number; buckets?: Record<string, number>; quantiles?: Record<string, number>; sum?: number; count?: number}[];
}

/**
 * Parses Prometheus text exposition format with prom2javascript (a parser
 * made for it, which also checks histograms are well formed). Samples whose
 * value is NaN or -Inf are dropped first: that parser does not read them.
 */
export async function parseExposition(text: string, source = 'metrics'): Promise<MetricFamily[]> {
  const lines = text.split('\n').filter((l) => !/^[^#].*\s(NaN|-Inf)(\s+-?\d+)?\s*$/.test(l));
  let parsed: Record<string, PromMetric>;
  try {
    parsed = (await getMetricsFromIterator(lines[Symbol.iterator]())) as Record<string, PromMetric>;
  } catch (e) {
    throw new DialError('BAD_METRICS', `${source} is not valid Prometheus text format: ${(e as Error).message}`);
  }
  return Object.entries(parsed).map(([name, m]) => ({name, type: m.type, help: m.help, samples: toSamples(name, m)}));
}

function toSamples(name: string, m: PromMetric): Sample[] {
  const out: Sample[] = [];
  for (const d of m.data) {
    const labels = d.labels ?? {};
    if (d.buckets) {
      for (const [le, value] of bucketsInOrder(d.buckets)) out.push({name: `${name}_bucket`, labels: {...labels, le}, value});
    } else if (d.quantiles) {
      for (const [quantile, value] of Object.entries(d.quantiles)) out.push({name, labels: {...labels, quantile}, value});
    } else {
      out.push({name, labels, value: d.value ?? 0});
      continue;
    }
    if (d.sum !== undefined) out.push({name: `${name}_sum`, labels, value: d.sum});
    if (d.count !== undefined) out.push({name: `${name}_count`, labels, value: d.count});
  }
  return out;
}

/**
 * Buckets by increasing upper bound, +Inf last, as the text format requires.
 * Object.entries alone would not do: JS lists integer-like keys ("1", "5",
 * "10") before the others ("0.0005", "+Inf").
 */
function bucketsInOrder(buckets: Record<string, number>): [string, number][] {
  return Object.entries(buckets).sort(([a], [b]) => leValue(a) - leValue(b));
}

function leValue(le: string): number {
  const v = Number(le);
  return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
}

/** `name{a="1",b="2"}` as in the text format. */
export function sampleKey(s: {name: string; labels: Record<string, string>}): string {
  const l = Object.entries(s.labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return l.length ? `${s.name}{${l.join(',')}}` : s.name;
}
