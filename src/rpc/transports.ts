import type {Transport} from '@connectrpc/connect';
import {outgoingTraceparent} from '../metrics/trace.js';
import type {ResolvedTarget} from './target.js';

export interface TransportOptions {
  tls?: {ca?: Buffer; cert?: Buffer; key?: Buffer; servername?: string; insecure?: boolean};
  userAgent?: string;
}

/** A transport plus the HTTP/2 connection it owns; close() ends the connection so the process can exit. */
export interface OwnedTransport {
  transport: Transport;
  close(): void;
}

/** A gRPC transport (HTTP/2, via connect-node) to the resolved target. */
export async function grpcTransport(target: ResolvedTarget, opts: TransportOptions = {}): Promise<OwnedTransport> {
  const {createGrpcTransport, Http2SessionManager} = await import('@connectrpc/connect-node');
  const tls = opts.tls;
  const baseUrl = `${tls ? 'https' : 'http'}://${target.hostPort}`;
  const sessionManager = new Http2SessionManager(
    baseUrl,
    {idleConnectionTimeoutMs: 60_000},
    tls ? {ca: tls.ca, cert: tls.cert, key: tls.key, servername: tls.servername, rejectUnauthorized: !tls.insecure} : undefined,
  );
  const transport = createGrpcTransport({
    baseUrl,
    sessionManager,
    interceptors: [(next) => async (req) => {
      if (opts.userAgent) req.header.set('user-agent', opts.userAgent);
      // W3C trace context: the command's trace (withTrace), a fresh span per request, unless -H set one.
      const traceparent = req.header.has('traceparent') ? undefined : outgoingTraceparent();
      if (traceparent) req.header.set('traceparent', traceparent);
      return next(req);
    }],
  });
  return {transport, close: () => sessionManager.abort()};
}
