import {Code, ConnectError} from '@connectrpc/connect';
import {DialError, ExitCode, findErrno, isDialError, unreachableError} from '../errors/index.js';
import type {ResolvedTarget} from './target.js';

/**
 * Turns a connection-level failure (refused, reset, TLS, timeout before any
 * response) into UNREACHABLE (exit 3) naming the address; leaves RPC statuses
 * and everything else alone.
 */
export function connectionError(e: unknown, target: ResolvedTarget): DialError | undefined {
  if (isDialError(e)) return undefined;
  const err = e instanceof ConnectError ? e : undefined;
  // dial's own connection errors (which layer failed) arrive wrapped by connect.
  if (isDialError(err?.cause)) return err.cause;
  const parseCode = (err?.cause as {code?: string} | undefined)?.code ?? (e as {code?: unknown})?.code;
  if (typeof parseCode === 'string' && parseCode.startsWith('HPE_')) {
    return new DialError('UNREACHABLE', `${target.hostPort} did not answer in HTTP/1.1 (${(err?.cause as Error | undefined)?.message ?? parseCode}): it looks like an HTTP/2-only (gRPC) server`, {
      hint: 'add --http2 for gRPC-Web or Connect over HTTP/2, or use --protocol grpc',
      exitCode: ExitCode.Unreachable,
      cause: e,
    });
  }
  const errno = findErrno(err?.cause) ?? findErrno(e);
  if (!errno || (err && err.code !== Code.Unavailable && err.code !== Code.Internal && err.code !== Code.Unknown)) return undefined;
  const where = `${target.hostPort}${target.via ? ` (instance ${target.via.instance} of ${target.via.service})` : ''}`;
  const hint = target.via
    ? `the registry lists it but nothing answers there; 'dial discover ${target.via.service}' shows its health`
    : 'check the address and that the server is running (plaintext is the default; --tls for TLS servers)';
  return unreachableError(where, err?.cause ?? e, hint);
}
