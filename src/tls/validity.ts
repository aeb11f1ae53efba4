import {DialError, ExitCode, usageError} from '../errors/index.js';

export interface ValidityInput {
  /** --days */
  days?: number;
  /** --not-after: an ISO 8601 date or date-time */
  notAfter?: string;
  /** --not-before: an ISO 8601 date or date-time (default: a minute ago, for clock skew) */
  notBefore?: string;
  defaultDays: number;
}

const DAY = 86_400_000;

/** An ISO 8601 date or date-time; a bare date as --not-after means the end of that day (UTC): it is the last day of validity. */
function parseDate(text: string, flag: string): Date {
  const t = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(t)) throw usageError(`${flag} '${text}' is not a date`, `use ISO 8601, e.g. ${flag} 2030-01-31 or 2030-01-31T12:00:00Z`);
  if (flag === '--not-after' && /^\d{4}-\d{2}-\d{2}$/.test(text)) return new Date(t + DAY - 1000);
  return new Date(t);
}

/**
 * The validity window of a new certificate. It may not outlive its issuer:
 * a default is shortened to the issuer's end; an explicit --days or
 * --not-after past it is an error that says the latest possible date.
 */
export function validityWindow(input: ValidityInput, issuerNotAfter?: Date, now = new Date()): {notBefore: Date; notAfter: Date} {
  if (input.days !== undefined && input.notAfter !== undefined) throw usageError('--days and --not-after both given', 'pass only one of them');
  if (input.days !== undefined && (!Number.isFinite(input.days) || input.days <= 0)) throw usageError(`--days must be a positive number, got ${input.days}`);
  const notBefore = input.notBefore ? parseDate(input.notBefore, '--not-before') : new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  const explicit = input.days !== undefined || input.notAfter !== undefined;
  let notAfter = input.notAfter ? parseDate(input.notAfter, '--not-after') : new Date(Math.max(notBefore.getTime(), now.getTime()) + (input.days ?? input.defaultDays) * DAY);
  if (notAfter.getTime() <= notBefore.getTime()) throw usageError(`the certificate would end (${notAfter.toISOString()}) before it starts (${notBefore.toISOString()})`);
  if (issuerNotAfter && notAfter.getTime() > issuerNotAfter.getTime()) {
    if (explicit) {
      throw new DialError('OUTLIVES_ISSUER', `the certificate would outlive its issuing CA, which expires ${issuerNotAfter.toISOString()}`, {
        hint: `use --not-after ${issuerNotAfter.toISOString().replace('.000Z', 'Z')} or earlier (or --days ${Math.max(1, Math.floor((issuerNotAfter.getTime() - now.getTime()) / DAY))})`,
        exitCode: ExitCode.Usage,
      });
    }
    notAfter = issuerNotAfter;
  }
  return {notBefore, notAfter};
}
