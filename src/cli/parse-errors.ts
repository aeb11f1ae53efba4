import {DialError, ExitCode, isDialError} from '../errors/index.js';

/**
 * Turns anything thrown inside a command into a DialError: oclif's parser
 * errors become usage errors (exit 2), unknown errors keep their message and
 * exit 1 so nothing is swallowed.
 */
export function toDialError(err: unknown): DialError {
  if (isDialError(err)) return err;
  const e = err as {name?: string; message?: string; oclif?: {exit?: number}; code?: string};
  const name = e?.name ?? '';
  if ((err as object)?.constructor?.name === 'RequiredArgsError') {
    const args = ((err as {args?: {name: string; description?: string}[]}).args ?? []).map((a) => `${a.name.toUpperCase()}${a.description ? ` (${a.description})` : ''}`);
    return new DialError('USAGE', `missing required argument${args.length > 1 ? 's' : ''}: ${args.join(', ')}`, {exitCode: ExitCode.Usage, hint: 'see --help for usage'});
  }
  const message = (e?.message ?? String(err)).replace(/\n\s*See more help with --help$/, '');
  if (/Error$/.test(name) && e?.oclif?.exit === 2) {
    return new DialError('USAGE', firstLine(message), {exitCode: ExitCode.Usage, hint: 'see --help for usage'});
  }
  if (
    ['RequiredArgsError', 'UnexpectedArgsError', 'NonExistentFlagsError', 'FailedFlagValidationError', 'FlagInvalidOptionError', 'ArgInvalidOptionError'].includes(name)
  ) {
    return new DialError('USAGE', firstLine(message), {exitCode: ExitCode.Usage, hint: 'see --help for usage'});
  }
  if (name === 'AbortError' || e?.code === 'ABORT_ERR') {
    return new DialError('INTERRUPTED', 'interrupted', {exitCode: ExitCode.Interrupted});
  }
  return new DialError('INTERNAL', message || 'unexpected error', {
    exitCode: ExitCode.Failed,
    cause: err,
    hint: 'this looks like a bug in dial; run again with DIAL_DEBUG=1 for the stack trace, and report it',
  });
}

function firstLine(s: string): string {
  return s.split('\n').filter((l) => l.trim() !== '').join('; ');
}
