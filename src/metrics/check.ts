import type {Registry} from '../registry/index.js';
import {mergedBuckets} from './histogram.js';
import {METRIC} from './names.js';
import type {Scraper} from './scrape.js';
import {snapshot, statsBetween, type Snapshot, type TargetStats} from './stats.js';

/** The Nagios plugin states, and the exit codes the plugin convention gives them. */
export const CHECK_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export type CheckState = (typeof CHECK_STATES)[number];
export const NAGIOS_EXIT: Record<CheckState, number> = {OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3};

export interface CheckThresholds {
  /** CRITICAL when fewer instances pass their health checks. */
  minHealthy: number;
  /** CRITICAL above these. */
  maxP99Ms?: number;
  maxErrorRate?: number;
  /** WARNING above these. */
  warnP99Ms?: number;
  warnErrorRate?: number;
}

export interface CheckResult {
  service: string;
  state: CheckState;
  exitCode: number;
  /** Why the state is not OK (empty when OK). */
  reasons: string[];
  healthy: number;
  total: number;
  /** Over the sample window; undefined when no metrics could be read. */
  rps?: number;
  errorRate?: number;
  p50Ms?: number;
  p99Ms?: number;
  requests?: number;
  windowMs: number;
  /** The Nagios status line: "DIAL OK - ... | perfdata". */
  line: string;
  perfdata: string;
}

/** The inputs of a check, measured. */
export interface CheckMeasurement {
  service: string;
  healthy: number;
  total: number;
  stats?: TargetStats;
  /** Instances whose /metrics could not be read. */
  unscraped: string[];
  windowMs: number;
}

const fmtMs = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(1)}ms`);
const fmtPct = (v: number | undefined) => (v === undefined ? 'n/a' : `${(v * 100).toFixed(2)}%`);

/** Decides the state: CRITICAL beats WARNING beats OK (pure; the thresholds decide). */
export function evaluateCheck(m: CheckMeasurement, t: CheckThresholds): CheckResult {
  const crit: string[] = [];
  const warn: string[] = [];
  const s = m.stats;
  if (m.total === 0) crit.push(`no instance of ${m.service} is registered`);
  else if (m.healthy < t.minHealthy) crit.push(`${m.healthy} healthy, fewer than ${t.minHealthy}`);
  else if (m.healthy < m.total) warn.push(`${m.total - m.healthy} of ${m.total} instances not passing`);
  if (s?.p99Ms !== undefined) {
    if (t.maxP99Ms !== undefined && s.p99Ms > t.maxP99Ms) crit.push(`p99 ${fmtMs(s.p99Ms)} > ${t.maxP99Ms}ms`);
    else if (t.warnP99Ms !== undefined && s.p99Ms > t.warnP99Ms) warn.push(`p99 ${fmtMs(s.p99Ms)} > ${t.warnP99Ms}ms`);
  }
  if (s?.errorRate !== undefined && (s.requests ?? 0) > 0) {
    if (t.maxErrorRate !== undefined && s.errorRate > t.maxErrorRate) crit.push(`error rate ${fmtPct(s.errorRate)} > ${fmtPct(t.maxErrorRate)}`);
    else if (t.warnErrorRate !== undefined && s.errorRate > t.warnErrorRate) warn.push(`error rate ${fmtPct(s.errorRate)} > ${fmtPct(t.warnErrorRate)}`);
  }
  if (m.unscraped.length) warn.push(`no metrics from ${m.unscraped.join(', ')}`);
  const state: CheckState = crit.length ? 'CRITICAL' : warn.length ? 'WARNING' : 'OK';
  const reasons = [...crit, ...warn];
  const opt = (v: number | undefined) => (v === undefined ? '' : String(v));
  const perf = [
    `healthy=${m.healthy};;${t.minHealthy}:;0;${m.total}`,
    `rps=${(s?.rps ?? 0).toFixed(2)};;;0;`,
    `error_rate=${(s?.errorRate ?? 0).toFixed(4)};${opt(t.warnErrorRate)};${opt(t.maxErrorRate)};0;1`,
    ...(s?.p99Ms !== undefined ? [`p99=${s.p99Ms.toFixed(2)}ms;${opt(t.warnP99Ms)};${opt(t.maxP99Ms)};0;`] : []),
  ].join(' ');
  const facts = `${m.healthy}/${m.total} healthy, ${(s?.rps ?? 0).toFixed(1)} req/s, error rate ${fmtPct(s?.errorRate ?? 0)}, p99 ${fmtMs(s?.p99Ms)}`;
  const line = `DIAL ${state} - ${m.service}: ${reasons.length ? `${reasons.join('; ')} (${facts})` : facts} | ${perf}`;
  return {
    service: m.service, state, exitCode: NAGIOS_EXIT[state], reasons, healthy: m.healthy, total: m.total,
    ...(s ? {rps: s.rps, errorRate: s.errorRate, p50Ms: s.p50Ms, p99Ms: s.p99Ms, requests: s.requests} : {}),
    windowMs: m.windowMs, line, perfdata: perf,
  };
}

/** An UNKNOWN result (the check itself could not run), with the reason. */
export function unknownCheck(service: string, reason: string): CheckResult {
  const line = `DIAL UNKNOWN - ${service}: ${reason}`;
  return {service, state: 'UNKNOWN', exitCode: NAGIOS_EXIT.UNKNOWN, reasons: [reason], healthy: 0, total: 0, windowMs: 0, line, perfdata: ''};
}

/**
 * Measures a service: health from the registry, request rate, error rate and
 * latency from two scrapes of its instances `windowMs` apart (summed over
 * instances), then evaluates the thresholds.
 */
export async function runCheck(registry: Registry, scraper: Scraper, service: string, t: CheckThresholds, windowMs: number, signal?: AbortSignal): Promise<CheckResult> {
  const instances = await registry.discover(service, {signal});
  const healthy = instances.filter((i) => i.status === 'passing').length;
  const targets = (await scraper.targets()).filter((x) => x.service === service);
  const first = await scraper.scrapeAll(targets, signal);
  await new Promise((r) => setTimeout(r, windowMs));
  const second = await scraper.scrapeAll(targets, signal);
  const unscraped = second.filter((r) => r.error).map((r) => r.target.id);
  const sum = (rs: typeof first): Snapshot | undefined => {
    const ok = rs.filter((r) => !r.error);
    if (ok.length === 0) return undefined;
    const buckets = new Map<number, number>();
    for (const r of ok) for (const [le, c] of mergedBuckets(r.families, METRIC.duration)) buckets.set(le, (buckets.get(le) ?? 0) + c);
    const snaps = ok.map(snapshot);
    return {at: Math.max(...snaps.map((x) => x.at)), up: true, requests: snaps.reduce((a, x) => a + x.requests, 0),
      errors: snaps.reduce((a, x) => a + x.errors, 0), inFlight: snaps.reduce((a, x) => a + x.inFlight, 0), buckets};
  };
  const a = sum(first.filter((r) => !second.find((s) => s.target.id === r.target.id)?.error));
  const b = sum(second);
  const stats = a && b ? statsBetween(a, b) : undefined;
  return evaluateCheck({service, healthy, total: instances.length, stats, unscraped, windowMs}, t);
}

/** The Zabbix item value: one number (the state by default: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN). */
export function zabbixValue(r: CheckResult, item: 'state' | 'healthy' | 'rps' | 'error_rate' | 'p99_ms'): string {
  switch (item) {
    case 'healthy': return String(r.healthy);
    case 'rps': return (r.rps ?? 0).toFixed(3);
    case 'error_rate': return (r.errorRate ?? 0).toFixed(6);
    case 'p99_ms': return (r.p99Ms ?? 0).toFixed(3);
    default: return String(r.exitCode);
  }
}
