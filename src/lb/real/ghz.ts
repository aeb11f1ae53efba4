import type {LoadReport} from './types.js';

/**
 * `dial bench --format json|pretty|csv`: the report in ghz's own shapes, so
 * scripts and dashboards written for ghz read dial's runs unchanged.
 *
 * - json / pretty: ghz's Report (runner/reporter.go): durations in integer
 *   nanoseconds (Go's time.Duration), `date` in RFC 3339, status names as Go
 *   spells them (`OK`, `Unavailable`), errors as `rpc error: code = X desc = Y`,
 *   the latency distribution at 10/25/50/75/90/95/99 % and an 11-bucket linear
 *   histogram, both over the successful requests as ghz computes them, and the
 *   first 1,000,000 requests in `details`. Of ghz's options it gives host,
 *   call, total, concurrency, qps, duration, timeout, data and CPUs.
 * - csv: ghz's per-request rows, `duration (ms),status,error`.
 */

/** One finished request, as runLoad reports it through onResult. */
export interface RequestResult {
  /** Wall-clock start, ms since the epoch. */
  startedAt: number;
  latencyMs: number;
  code: number;
  message?: string;
}

/** ghz keeps at most this many per-request details (runner's maxResult). */
export const MAX_DETAILS = 1_000_000;

/** grpc-go's codes.Code.String(), which ghz prints. */
const GO_CODE_NAMES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable',
  'DataLoss', 'Unauthenticated',
];

export function goCodeName(code: number): string {
  return GO_CODE_NAMES[code] ?? `Code(${code})`;
}

/** The error text grpc-go's status.Error gives, which ghz keys its error distribution by. */
export function goErrorText(code: number, message = ''): string {
  return `rpc error: code = ${goCodeName(code)} desc = ${message}`;
}

export interface GhzDetail {
  timestamp: string;
  latency: number;
  error: string;
  status: string;
}

export interface GhzReport {
  date: string;
  options: {host: string; call: string; total?: number; concurrency: number; qps?: number; duration?: number; timeout: number; data: unknown; CPUs: number};
  count: number;
  total: number;
  average: number;
  fastest: number;
  slowest: number;
  rps: number;
  errorDistribution: Record<string, number>;
  statusCodeDistribution: Record<string, number>;
  latencyDistribution: {percentage: number; latency: number}[] | null;
  histogram: {mark: number; count: number; frequency: number}[] | null;
  details: GhzDetail[];
}

/** Collects the requests of a run (the first MAX_DETAILS in full) for ghz's report. */
export class GhzCollector {
  readonly details: RequestResult[] = [];
  private count = 0;
  private latencySumMs = 0;
  private readonly okLatencies: number[] = [];
  private readonly statuses = new Map<string, number>();
  private readonly errors = new Map<string, number>();

  /** Bound, so it can be passed as runLoad's onResult. */
  readonly add = (r: RequestResult): void => {
    this.count++;
    this.latencySumMs += r.latencyMs;
    const status = goCodeName(r.code);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (r.code !== 0) {
      const e = goErrorText(r.code, r.message);
      this.errors.set(e, (this.errors.get(e) ?? 0) + 1);
    }
    if (this.details.length < MAX_DETAILS) {
      this.details.push(r);
      if (r.code === 0) this.okLatencies.push(r.latencyMs);
    }
  };

  report(run: LoadReport, options: {data: unknown; timeoutMs: number; requests?: number; durationMs?: number; cpus: number; now?: Date}): GhzReport {
    const ns = (ms: number) => Math.round(ms * 1e6);
    const ok = Float64Array.from(this.okLatencies).sort();
    const withOk = ok.length > 0;
    return {
      date: rfc3339(options.now ?? new Date()),
      options: {
        host: run.target, call: run.method, ...(options.requests !== undefined ? {total: options.requests} : {}), concurrency: run.concurrency,
        ...(run.rps ? {qps: run.rps} : {}), ...(options.durationMs !== undefined ? {duration: ns(options.durationMs)} : {}),
        timeout: ns(options.timeoutMs), data: options.data, CPUs: options.cpus,
      },
      count: this.count,
      total: ns(run.totalMs),
      average: this.count ? ns(this.latencySumMs / this.count) : 0,
      fastest: withOk ? ns(ok[0]) : 0,
      slowest: withOk ? ns(ok[ok.length - 1]) : 0,
      rps: run.totalMs > 0 ? this.count / (run.totalMs / 1000) : 0,
      errorDistribution: Object.fromEntries(this.errors),
      statusCodeDistribution: Object.fromEntries(this.statuses),
      latencyDistribution: withOk ? percentiles(ok).map((p) => ({percentage: p.percentage, latency: ns(p.latencyMs)})) : null,
      histogram: withOk ? linearHistogram(ok).map((b) => ({mark: b.markMs / 1000, count: b.count, frequency: b.frequency})) : null,
      details: this.details.map((d) => ({timestamp: rfc3339(new Date(d.startedAt), true), latency: ns(d.latencyMs), error: d.code === 0 ? '' : goErrorText(d.code, d.message), status: goCodeName(d.code)})),
    };
  }

  /** ghz's CSV: one row per request (the first MAX_DETAILS), latency in ms with two decimals. */
  csv(): string {
    const rows = this.details.map((d) => `${d.latencyMs.toFixed(2)},${goCodeName(d.code)},${d.code === 0 ? '' : csvField(goErrorText(d.code, d.message))}`);
    return ['duration (ms),status,error', ...rows].join('\n');
  }
}

/** ghz's percentiles: the value at rank floor(p% of n), one lower when that rank is a whole number. */
export function percentiles(sorted: Float64Array): {percentage: number; latencyMs: number}[] {
  return [10, 25, 50, 75, 90, 95, 99].map((percentage) => {
    const rank = (percentage / 100) * sorted.length;
    let i = Math.floor(rank);
    if (rank === i) i--;
    return {percentage, latencyMs: sorted[Math.max(0, i)]};
  });
}

/** ghz's histogram: 10 equal steps from fastest to slowest (11 marks); each value goes to the first mark at or above it. */
export function linearHistogram(sorted: Float64Array): {markMs: number; count: number; frequency: number}[] {
  const [fastest, slowest] = [sorted[0], sorted[sorted.length - 1]];
  const step = (slowest - fastest) / 10;
  const marks = Array.from({length: 11}, (_, i) => (i === 10 ? slowest : fastest + step * i));
  const counts = new Array<number>(11).fill(0);
  let b = 0;
  for (const v of sorted) {
    while (v > marks[b] && b < 10) b++;
    counts[b]++;
  }
  return marks.map((markMs, i) => ({markMs, count: counts[i], frequency: counts[i] / sorted.length}));
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** RFC 3339 with the local offset as Go prints it (Z for UTC); nanos: with the fraction of a second. */
function rfc3339(d: Date, nanos = false): string {
  const off = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + off * 60_000).toISOString();
  const base = nanos ? local.slice(0, 23).replace(/\.?0+$/, '') : local.slice(0, 19);
  if (off === 0) return `${base}Z`;
  const a = Math.abs(off);
  return `${base}${off > 0 ? '+' : '-'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
