import {DialError} from './dial-error.js';
import {ExitCode} from './exit-codes.js';

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'name resolution failed',
  EPIPE: 'connection closed',
  ENOENT: 'no such file or socket',
  EACCES: 'permission denied',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
};

/** Walks `cause` chains (undici, AggregateError) to the first errno-style code. */
export function findErrno(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== 'object' || depth > 6) return undefined;
  const err = e as {code?: unknown; cause?: unknown; errors?: unknown[]};
  if (typeof err.code === 'string' && (err.code.startsWith('E') || err.code.startsWith('UND_ERR'))) return err.code;
  if (Array.isArray(err.errors)) {
    for (const inner of err.errors) {
      const c = findErrno(inner, depth + 1);
      if (c) return c;
    }
  }
  return findErrno(err.cause, depth + 1);
}

export function errnoReason(code: string | undefined): string {
  if (!code) return 'network error';
  return REASONS[code] ?? code;
}

/**
 * Maps a network error to a DialError with exit code 3 (unreachable).
 * `what` names the peer ("the cluster at 127.0.0.1:7500"); `hint` is what to do.
 */
export function unreachableError(what: string, cause: unknown, hint: string): DialError {
  const code = findErrno(cause);
  return new DialError('UNREACHABLE', `cannot reach ${what} (${errnoReason(code)})`, {
    hint,
    exitCode: ExitCode.Unreachable,
    cause,
    details: code ? {errno: code} : undefined,
  });
}

/** True when the error is a connection-level failure rather than an application error. */
export function isNetworkError(e: unknown): boolean {
  const code = findErrno(e);
  return code !== undefined && code in REASONS;
}
