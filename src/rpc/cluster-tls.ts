import {clusterClientTls} from '../tls/cluster-client.js';
import {tlsConnectionError} from '../tls/handshake-errors.js';
import {targetLabel} from './connection.js';
import type {ResolvedTarget} from './target.js';
import type {TransportOptions} from './transports.js';
import {urlTransport} from './url-target.js';

/**
 * The transport for a resolved target: a URL target's scheme decides TLS
 * (src/rpc/url-target.ts); a target from a `cluster up --tls`
 * registry gets the cluster's CA and client certificate (what the caller set
 * explicitly wins). `refusal(e)` turns a failure into the error that says
 * which side refused the TLS connection and why, or undefined.
 */
export function targetTransport(target: ResolvedTarget | undefined, transport: TransportOptions | undefined, signal?: AbortSignal): {
  transport: TransportOptions | undefined;
  refusal: (e: unknown) => Error | undefined;
} {
  const chosen = target?.scheme ? urlTransport(target.scheme, `${target.scheme}://${target.authority}${target.path ?? ''}`, transport) : transport;
  const tls = clusterClientTls(target?.via?.registry, chosen?.tls);
  return {
    transport: tls ? {...chosen, tls} : chosen,
    refusal: (e) => (tls && target && !signal?.aborted ? tlsConnectionError(e, targetLabel(target), tls) : undefined),
  };
}
