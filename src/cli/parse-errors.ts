import {DialError, ExitCode, isDialError} from '../errors/index.js';

/**
 * Turns anything thrown inside a command into a DialError: oclif's parser
 * errors become usage errors (exit 2), unknown errors keep their message and
 * exit 1 so nothing is swallowed.
 */
export function toDialError(err: unknown): DialError {
  if (isDialError(err)) return err;
  // `code` is not always a string: ConnectError and gRPC errors carry a numeric status code.
  const e = err as {name?: string; message?: string; oclif?: {exit?: number}; code?: unknown};
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
  const ossl = opensslError(typeof e?.code === 'string' ? e.code : undefined, message);
  if (ossl) return ossl;
  if (name === 'AbortError' || e?.code === 'ABORT_ERR') {
    return new DialError('INTERRUPTED', 'interrupted', {exitCode: ExitCode.Interrupted});
  }
  return new DialError('INTERNAL', message || 'unexpected error', {
    exitCode: ExitCode.Failed,
    cause: err,
    hint: 'this looks like a bug in dial; run again with DIAL_DEBUG=1 for the stack trace, and report it',
  });
}

/** oclif's multi-error text ("The following errors occurred:\n  Missing required flag p12") as one line. */
function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^The following errors? occurred:?$/i.test(l)).join('; ');
}

/**
 * OpenSSL errors raised while loading TLS material given on the command line
 * (a key that does not belong to the certificate, a file that is not PEM):
 * bad input, not a bug in dial.
 */
function opensslError(code: string | undefined, message: string): DialError | undefined {
  if (!code?.startsWith('ERR_OSSL_')) return undefined;
  if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') {
    return new DialError('KEY_MISMATCH', 'the private key does not belong to the certificate (--key and --cert)', {
      exitCode: ExitCode.Usage,
      hint: "pass the key made with that certificate; 'dial tls inspect CERT --key KEY' checks a pair",
    });
  }
  const reason = message.replace(/^error:[0-9A-F]+:[^:]*::/i, '');
  return new DialError('BAD_TLS_MATERIAL', `cannot use the TLS files given: ${reason}`, {
    exitCode: ExitCode.Usage,
    hint: "check that --cacert, --cert and --key are PEM files (certificates and a PKCS#8/PKCS#1/SEC1 key); 'dial tls inspect FILE' reads one",
  });
}
