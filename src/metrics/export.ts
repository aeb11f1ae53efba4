import {request} from '../util/http-request.js';
import {DialError, ExitCode, usageError} from '../errors/index.js';
import {sampleKey, type MetricFamily, type Sample} from './exposition.js';
import type {ScrapeResult} from './scrape.js';

export const EXPORT_FORMATS = ['opentsdb', 'prometheus', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One data point in OpenTSDB's /api/put JSON shape. */
export interface OpenTsdbPoint {
  metric: string;
  timestamp: number;
  value: number;
  tags: Record<string, string>;
}

/** OpenTSDB's alphabet for metric names, tag keys and values: a-z A-Z 0-9 - _ . / (others become _). */
const tsdb = (s: string) => s.replace(/[^A-Za-z0-9\-_./]/g, '_') || '_';

/** Every sample as OpenTSDB data points: the target's instance and service become tags (OpenTSDB needs at least one). */
export function toOpenTsdb(results: ScrapeResult[]): OpenTsdbPoint[] {
  const out: OpenTsdbPoint[] = [];
  for (const r of results) {
    const timestamp = Math.floor(r.at / 1000);
    for (const f of r.families) {
      for (const s of f.samples) {
        if (!Number.isFinite(s.value)) continue;
        const tags: Record<string, string> = {instance: tsdb(r.target.id), service: tsdb(r.target.service)};
        for (const [k, v] of Object.entries(s.labels)) tags[tsdb(k)] = tsdb(v === '+Inf' ? 'inf' : v);
        out.push({metric: tsdb(s.name), timestamp, value: s.value, tags});
      }
    }
  }
  return out;
}

/** OpenTSDB's telnet-style `put` lines. */
export function openTsdbLines(points: OpenTsdbPoint[]): string {
  return points.map((p) => `put ${p.metric} ${p.timestamp} ${p.value} ${Object.entries(p.tags).map(([k, v]) => `${k}=${v}`).join(' ')}`).join('\n') + (points.length ? '\n' : '');
}

/** Prometheus text format, every target's samples under one HELP/TYPE per family, with instance and service labels (like federation). */
export function toPrometheusText(results: ScrapeResult[]): string {
  const families = new Map<string, {f: MetricFamily; samples: Sample[]}>();
  for (const r of results) {
    for (const f of r.families) {
      let e = families.get(f.name);
      if (!e) families.set(f.name, (e = {f, samples: []}));
      for (const s of f.samples) e.samples.push({...s, labels: {instance: r.target.id, service: r.target.service, ...s.labels}});
    }
  }
  const esc = (h: string) => h.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  const out: string[] = [];
  for (const {f, samples} of families.values()) {
    out.push(`# HELP ${f.name} ${esc(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of samples) out.push(`${sampleKey(s)} ${Number.isFinite(s.value) ? s.value : s.value > 0 ? '+Inf' : s.value < 0 ? '-Inf' : 'NaN'}`);
  }
  return out.join('\n') + '\n';
}

/** The export document for --format json: targets with their samples. */
export function toJsonExport(results: ScrapeResult[]): {exportedAt: string; targets: {id: string; service: string; at: string; samples: Sample[]}[]} {
  return {
    exportedAt: new Date().toISOString(),
    targets: results.filter((r) => !r.error).map((r) => ({id: r.target.id, service: r.target.service, at: new Date(r.at).toISOString(), samples: r.families.flatMap((f) => f.samples)})),
  };
}

/** The body to write or send, and its content type. */
export function renderExport(format: ExportFormat, results: ScrapeResult[], forHttp = false): {body: string; contentType: string} {
  if (format === 'opentsdb') {
    const points = toOpenTsdb(results);
    return forHttp ? {body: JSON.stringify(points), contentType: 'application/json'} : {body: openTsdbLines(points), contentType: 'text/plain'};
  }
  if (format === 'prometheus') return {body: toPrometheusText(results), contentType: 'text/plain; version=0.0.4'};
  return {body: JSON.stringify(toJsonExport(results), null, 2) + '\n', contentType: 'application/json'};
}

/**
 * Sends the export: OpenTSDB JSON to POST /api/put (the default path), Prometheus
 * text to a Pushgateway's PUT /metrics/job/dial (the default path), JSON by POST.
 */
export async function pushExport(url: string, format: ExportFormat, results: ScrapeResult[]): Promise<{url: string; status: number; samples: number}> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw usageError(`--to '${url}' is not a URL`, 'e.g. --to http://127.0.0.1:4242 (OpenTSDB) or http://127.0.0.1:9091 (Pushgateway)');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw usageError(`--to '${url}' must be http:// or https://`);
  if (u.pathname === '/' || u.pathname === '') u.pathname = format === 'opentsdb' ? '/api/put' : format === 'prometheus' ? '/metrics/job/dial' : '/';
  const {body, contentType} = renderExport(format, results, true);
  let res;
  try {
    res = await request(u, {method: format === 'prometheus' ? 'PUT' : 'POST', headers: {'content-type': contentType}, body, headersTimeout: 10_000, bodyTimeout: 10_000});
  } catch (e) {
    throw new DialError('UNREACHABLE', `cannot send metrics to ${u.host} (${(e as Error & {code?: string}).code ?? (e as Error).message})`, {hint: 'check --to', exitCode: ExitCode.Unreachable});
  }
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new DialError('EXPORT_REJECTED', `${u.href} answered HTTP ${res.statusCode}: ${text.slice(0, 200)}`, {exitCode: ExitCode.Failed});
  return {url: u.href, status: res.statusCode, samples: results.reduce((a, r) => a + r.families.reduce((b, f) => b + f.samples.length, 0), 0)};
}
