/** What `dial check` loads: the check, its thresholds from flags, and the scraper. */
import {usageError} from '../errors/index.js';
import type {CheckThresholds} from './check.js';

export {runCheck, unknownCheck, zabbixValue, evaluateCheck, NAGIOS_EXIT, type CheckResult} from './check.js';
export {openScraper} from './open.js';

function num(flag: string, v: string | undefined, max?: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || (max !== undefined && n > max)) {
    throw usageError(`--${flag} '${v}' is not a number${max !== undefined ? ` between 0 and ${max}` : ' >= 0'}`, flag.includes('rate') ? 'e.g. 0.01 for 1%' : 'milliseconds, e.g. 250');
  }
  return n;
}

/** The thresholds of `dial check` flags; bad values are usage errors (UNKNOWN for a monitoring system). */
export function checkThresholds(f: {'min-healthy': number; 'max-p99'?: string; 'max-error-rate'?: string; 'warn-p99'?: string; 'warn-error-rate'?: string}): CheckThresholds {
  return {
    minHealthy: f['min-healthy'],
    maxP99Ms: num('max-p99', f['max-p99']),
    maxErrorRate: num('max-error-rate', f['max-error-rate'], 1),
    warnP99Ms: num('warn-p99', f['warn-p99']),
    warnErrorRate: num('warn-error-rate', f['warn-error-rate'], 1),
  };
}

/** A flag definition as far as reading argv needs it. */
interface FlagShape {
  type: string;
  char?: string;
}

/**
 * What a command line that failed to parse asked for: the service (the first
 * positional argument, not a flag's value) and --format, in both spellings
 * (`--format zabbix` and `--format=zabbix`). Used to report the failure in the
 * format the monitoring system reads.
 */
export function checkArgvIntent(argv: string[], flags: Record<string, FlagShape>): {service?: string; format: string} {
  const takesValue = new Set<string>();
  for (const [name, f] of Object.entries(flags)) {
    if (f.type === 'boolean') continue;
    takesValue.add(`--${name}`);
    if (f.char) takesValue.add(`-${f.char}`);
  }
  let service: string | undefined;
  let format = 'nagios';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      service ??= argv[i + 1];
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      const value = eq > 0 ? a.slice(eq + 1) : takesValue.has(name) ? argv[++i] : undefined;
      if (name === '--format' && value !== undefined) format = value;
      continue;
    }
    service ??= a;
  }
  return {service, format};
}
