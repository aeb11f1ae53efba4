import * as http from 'node:http';
import type * as net from 'node:net';
import type {Interceptor, Transport} from '@connectrpc/connect';
import {outgoingTraceparent} from '../metrics/trace.js';
import {connectFailure, openSocket, openSocketSync, probePeer, resolveEndpoint, type ConnectionInfo, type Endpoint, type TlsOptions} from './connection.js';
import {DialHttp2Session, type FirstByteClock} from './http2-session.js';
import {repeatedHeaders} from './metadata.js';
import type {GrpcProtocol} from './protocol.js';
import type {ResolvedTarget} from './target.js';

export type {TlsOptions} from './connection.js';

export interface TransportOptions {
  /** grpc (default), grpc-web or connect. */
  protocol?: GrpcProtocol;
  /** TLS settings (CA, client certificate, server name, verification). */
  tls?: TlsOptions;
  /** tls, plaintext, or auto (default): plaintext to loopback addresses and unix sockets, TLS elsewhere and whenever TLS settings are given. */
  security?: 'auto' | 'tls' | 'plaintext';
  /** The :authority (Host) to send, as given; default the target's HOST:PORT (for unix sockets: TARGET when given, else localhost). */
  authority?: string;
  /** The -H metadata of this invocation: names given more than once go out as separate HTTP/2 header fields. */
  metadata?: [string, string][];
  userAgent?: string;
  /** Limit for DNS + TCP + TLS + HTTP/2 settings. */
  connectTimeoutMs?: number;
  /** gRPC-Web and Connect over HTTP/2 instead of HTTP/1.1 (gRPC always uses HTTP/2). */
  http2?: boolean;
  signal?: AbortSignal;
}

/** Transports for one dial invocation, and the connection they own. */
export interface OwnedTransport {
  /** Carries the call, in the chosen protocol. */
  transport: Transport;
  /** gRPC over HTTP/2 for server reflection (the same connection when the call uses HTTP/2). */
  reflection: Transport;
  /** What each network layer took (filled in as the connection opens). */
  info: ConnectionInfo;
  clock: FirstByteClock;
  /** Ends every connection so the process can exit. */
  close(): void;
}

/** An HTTP/1.1 agent that hands out the socket dial already opened (and keeps it alive). */
class OwnSocketAgent extends http.Agent {
  private first?: net.Socket;

  constructor(first: net.Socket, private readonly next: () => net.Socket) {
    super({keepAlive: true, maxSockets: 1});
    this.first = first;
  }

  override createConnection(): net.Socket {
    const s = this.first ?? this.next();
    this.first = undefined;
    return s;
  }
}

/**
 * Opens the connection to the target (timing DNS, TCP, TLS and the HTTP/2
 * settings exchange) and builds connect-node transports over it, so the
 * reflection stream and the call share one connection.
 */
export async function grpcTransport(target: ResolvedTarget, opts: TransportOptions = {}): Promise<OwnedTransport> {
  const protocol = opts.protocol ?? 'grpc';
  const info: ConnectionInfo = {address: target.hostPort};
  const clock: FirstByteClock = {};
  const authority = opts.authority ?? target.authority ?? (target.unix ? 'localhost' : target.hostPort);
  const authorityHost = authority.replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/:\d+$/, '');
  const useTls = opts.security === 'tls' || (opts.security !== 'plaintext' && (opts.tls !== undefined || !isLocal(target)));
  const tls = useTls ? (opts.tls ?? {}) : undefined;
  const scheme = tls ? 'https' : 'http';
  // A base path (a URL target's, or the instance's metadata `path`) goes before /pkg.Service/Method, as in buf curl.
  const basePath = (target.path ?? '').replace(/\/+$/, '');
  const baseUrl = `${scheme}://${authority}${basePath}`;
  const wantH1 = protocol !== 'grpc' && !opts.http2;
  const sockOpts = {tls, authorityHost, connectTimeoutMs: opts.connectTimeoutMs, signal: opts.signal};

  const connectBy = opts.connectTimeoutMs ? performance.now() + opts.connectTimeoutMs : undefined;
  const alpn = wantH1 ? ['http/1.1'] : ['h2'];
  // The connection opens while connect-node loads.
  const ep = await resolveEndpoint(target, info, sockOpts);
  const [first, connectNode] = await Promise.all([openSocket(target, ep, info, {...sockOpts, alpn}), import('@connectrpc/connect-node')]);
  if (tls && !wantH1 && info.tls?.alpn !== 'h2') {
    first.destroy();
    throw connectFailure(target, 'http2', new Error(`the TLS server did not agree to HTTP/2 (ALPN: ${info.tls?.alpn ?? 'none'})`));
  }

  const interceptors: Interceptor[] = [(next) => async (req) => {
    if (opts.userAgent) req.header.set('user-agent', opts.userAgent);
    // W3C trace context: the command's trace (withTrace), a fresh span per request, unless -H set one.
    const traceparent = req.header.has('traceparent') ? undefined : outgoingTraceparent();
    if (traceparent) req.header.set('traceparent', traceparent);
    if (clock.callStartedAt !== undefined && !clock.sentHeaders) {
      clock.sentHeaders = {[wantH1 ? 'host' : ':authority']: authority};
      req.header.forEach((v, k) => {
        clock.sentHeaders![k] = v;
      });
    }
    return next(req);
  }];
  const h2Failure = async (e: unknown) => {
    const timedOut = (e as {code?: string}).code === 'DIAL_CONNECT_TIMEOUT';
    return connectFailure(target, 'http2', e, {timeoutMs: opts.connectTimeoutMs, probe: timedOut ? undefined : await probeFor(ep, tls)});
  };
  const closers: (() => void)[] = [];
  const h2Session = (sock: () => Promise<net.Socket>, timed: boolean) => {
    const s = new DialHttp2Session(baseUrl, sock, (ms) => {
      if (timed) info.http2Ms = ms;
    }, h2Failure, timed ? clock : {}, () => (timed ? connectBy : undefined), {authority, repeated: repeatedHeaders(opts.metadata ?? [])});
    closers.push(() => s.close());
    return s;
  };
  const reopen = (a: string[]) => () => openSocketSync(ep, {...sockOpts, alpn: a});

  let transport: Transport;
  let reflectionSession: DialHttp2Session;
  if (wantH1) {
    info.httpVersion = '1.1';
    first.on('data', () => {
      if (clock.callStartedAt !== undefined) clock.firstByteMs ??= performance.now() - clock.callStartedAt;
    });
    const agent = new OwnSocketAgent(first, reopen(['http/1.1']));
    closers.push(() => agent.destroy());
    const nodeOptions = {agent};
    const h1Url = `http://${authority}${basePath}`;
    transport = protocol === 'connect'
      ? connectNode.createConnectTransport({baseUrl: h1Url, httpVersion: '1.1', nodeOptions, useBinaryFormat: true, interceptors})
      : connectNode.createGrpcWebTransport({baseUrl: h1Url, httpVersion: '1.1', nodeOptions, interceptors});
    reflectionSession = h2Session(async () => openSocket(target, ep, {address: info.address}, {...sockOpts, alpn: ['h2']}), false);
  } else {
    info.httpVersion = '2';
    let firstUsed = false;
    const session = h2Session(async () => {
      if (firstUsed) return reopen(['h2'])();
      firstUsed = true;
      return first;
    }, true);
    reflectionSession = session;
    const common = {baseUrl, httpVersion: '2' as const, sessionManager: session, interceptors};
    transport = protocol === 'connect'
      ? connectNode.createConnectTransport({...common, useBinaryFormat: true})
      : protocol === 'grpc-web'
        ? connectNode.createGrpcWebTransport(common)
        : connectNode.createGrpcTransport({baseUrl, sessionManager: session, interceptors});
  }
  const reflection = reflectionSession === undefined || protocol === 'grpc'
    ? transport
    : connectNode.createGrpcTransport({baseUrl, sessionManager: reflectionSession, interceptors});
  return {
    transport,
    reflection,
    info,
    clock,
    close: () => {
      for (const c of closers) c();
      first.destroy();
    },
  };
}

/** Loopback addresses and unix sockets get plaintext by default. */
export function isLocal(target: ResolvedTarget): boolean {
  return Boolean(target.unix) || target.host === 'localhost' || target.host === '::1' || /^127\./.test(target.host);
}

async function probeFor(ep: Endpoint, tls: TlsOptions | undefined): Promise<'http1' | 'tls' | 'unknown'> {
  return tls ? 'unknown' : probePeer(ep);
}
