import {clusterClientTls} from '../tls/cluster-client.js';
import {tlsConnectionError} from '../tls/handshake-errors.js';
import {targetLabel} from './connection.js';
import type {ResolvedTarget} from './target.js';
import type {TransportOptions} from './transports.js';

/**
 * The transport for a resolved target: a target from a `cluster up --tls`
 * registry gets the cluster's CA and client certificate (what the caller set
 * explicitly wins). `refusal(e)` turns a failure into the error that says
 * which side refused the TLS connection and why, or undefined.
 */
export function targetTransport(target: ResolvedTarget | undefined, transport: TransportOptions | undefined, signal?: AbortSignal): {
  transport: TransportOptions | undefined;
  refusal: (e: unknown) => Error | undefined;
} {
  const tls = clusterClientTls(target?.via?.registry, transport?.tls);
  return {
    transport: tls ? {...transport, tls} : transport,
    refusal: (e) => (tls && target && !signal?.aborted ? tlsConnectionError(e, targetLabel(target), tls) : undefined),
  };
}
