import {usageError} from '../errors/index.js';

const UNITS: Record<string, number> = {ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000};

/**
 * Parses a Go-style duration ("1.5s", "1m30s", "250ms", "2h") into
 * milliseconds, as Consul and etcd write them. A bare number means seconds.
 * Returns undefined for invalid input; see parseDurationOrThrow.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (matched !== s.length) return undefined;
  return total;
}

/**
 * Parses a duration exactly as Go's time.ParseDuration does (what Consul
 * accepts in its API): every number needs a unit ("15" is an error, "0" is
 * not), no spaces; "1m30s", ".5s" and "500ms" are fine. Negative durations
 * are refused (undefined) as no registry field can use them.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0' || text === '+0') return 0;
  if (!/^\+?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(m[1]) * UNITS[m[2]];
  return total;
}

/**
 * A CLI duration in Go's notation for the registry API: a bare number
 * (seconds, as dial's flags take it) gets its unit, e.g. "15" -> "15s".
 */
export function toGoDuration(text: string): string {
  const s = text.trim();
  return /^\d+(\.\d+)?$/.test(s) && s !== '0' ? `${s}s` : s;
}

/** parseDuration for a flag: throws a usage error that names the flag. */
/** The longest delay a Node timer can hold (about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function parseDurationFlag(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    throw usageError(`--${flag}: '${text}' is not a duration`, 'write it like 500ms, 15s, 1m30s or 2h');
  }
  // Node's timers hold at most 2^31-1 ms; a longer one fires at once (TimeoutOverflowWarning).
  if (ms > MAX_TIMER_MS) throw usageError(`--${flag}: '${text}' is longer than the longest wait dial can time (24 days)`, 'give a shorter duration, e.g. 24h');
  return ms;
}

/** Formats milliseconds the way Go prints durations, e.g. 1m30s, 250ms. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${Number(ms.toFixed(ms < 10 ? 2 : 0))}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${Number(s.toFixed(3))}s`;
}
