import {lookup} from 'node:dns/promises';
import * as net from 'node:net';
import * as tls from 'node:tls';
import {DialError, ExitCode, errnoReason, findErrno} from '../errors/index.js';
import {describeTlsFailure} from '../tls/handshake-errors.js';
import type {ResolvedTarget} from './target.js';

/** TLS settings of a connection (undefined: plaintext). */
export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** SNI and the name the certificate must carry (default: the authority's host). */
  servername?: string;
  /** Skip certificate verification. */
  insecure?: boolean;
}

/** How long each network layer took, and what it negotiated (dial call -v). */
export interface ConnectionInfo {
  /** Where the socket went: IP:PORT or unix:PATH. */
  address: string;
  dnsMs?: number;
  tcpMs?: number;
  tlsMs?: number;
  tls?: {version: string; cipher: string; alpn?: string; servername?: string};
  http2Ms?: number;
  httpVersion?: '1.1' | '2';
}

export interface SocketOptions {
  tls?: TlsOptions;
  /** ALPN protocols to offer over TLS, e.g. ['h2'] or ['h2', 'http/1.1']. */
  alpn: string[];
  /** Default SNI / certificate name when tls.servername is unset. */
  authorityHost: string;
  connectTimeoutMs?: number;
  signal?: AbortSignal;
}

type Phase = 'dns' | 'tcp' | 'tls';

/** Where a socket goes, once resolved: a host IP and port, or a unix socket path. */
export type Endpoint = {path: string} | {ip: string; port: number; family: number};

/** How errors name a resolved target: its address (or unix socket), and the registry instance it came from. */
export function targetLabel(target: ResolvedTarget): string {
  const inst = target.via ? ` (instance ${target.via.instance} of ${target.via.service})` : '';
  return `${target.unix ? `unix:${target.unix}` : target.hostPort}${inst}`;
}

/** A connection failure, naming the address, the layer that failed, and what to try. */
export function connectFailure(target: ResolvedTarget, phase: Phase | 'http2', cause: unknown, opts: {tls?: boolean; timeoutMs?: number; probe?: 'http1' | 'tls' | 'unknown'} = {}): DialError {
  const code = findErrno(cause) ?? (cause as {code?: string})?.code;
  const msg = (cause as Error)?.message ?? String(cause);
  const w = targetLabel(target);
  const registryHint = target.via ? `; 'dial discover ${target.via.service}' shows its health` : '';
  let message: string;
  let hint: string;
  if (code === 'DIAL_CONNECT_TIMEOUT') {
    message = `timed out connecting to ${w} after ${opts.timeoutMs}ms (${phase === 'dns' ? 'name resolution' : phase === 'tcp' ? 'TCP connect' : phase === 'tls' ? 'TLS handshake' : 'HTTP/2 settings'})`;
    hint = `check that the address is right and reachable, or raise --connect-timeout${registryHint}`;
  } else if (phase === 'dns') {
    message = `cannot resolve the host of ${w} (${errnoReason(code)})`;
    hint = 'check the host name, or use an IP address';
  } else if (phase === 'tcp') {
    message = `cannot reach ${w} (${errnoReason(code)})`;
    hint = target.via
      ? `the registry lists it but nothing answers there${registryHint}`
      : 'check the address and that the server is running';
  } else if (phase === 'tls') {
    message = `TLS handshake with ${w} failed: ${msg}`;
    const refused = describeTlsFailure(cause, w);
    if (refused && refused.rejectedBy !== 'protocol') {
      // Say which side refused what: dial rejecting the server's certificate, or the server's alert about ours.
      message = refused.message;
      hint = refused.rejectedBy === 'client'
        ? /ALTNAME/.test(refused.message)
          ? 'the certificate is for another name: pass --servername NAME (or --authority), or --insecure to skip verification'
          : "pass the CA that signed the server's certificate with --cacert FILE ('dial tls inspect HOST:PORT' shows the chain it presents), or --insecure to skip verification"
        : refused.hint;
    } else if (/wrong version number|packet length too long|unexpected eof|socket disconnected|ECONNRESET|EPROTO/i.test(`${msg} ${code}`)) {
      hint = 'the server does not seem to speak TLS: try without --tls (plaintext, add --plaintext for non-local hosts)';
    } else if (/ALTNAME|Hostname\/IP does not match/i.test(`${msg} ${code}`)) {
      hint = "the certificate is for another name: pass --servername NAME (or --authority), or --insecure to skip verification";
    } else {
      hint = 'pass the CA that signed the server certificate with --cacert FILE (and --cert/--key if it wants a client certificate), or --insecure to skip verification';
    }
  } else if (opts.probe === 'http1') {
    message = `${w} is an HTTP/1 server, not an HTTP/2 (gRPC) one`;
    hint = '--protocol connect or grpc-web work over HTTP/1.1; otherwise check the port';
  } else if (opts.probe === 'tls') {
    message = `${w} expects TLS, but dial spoke plaintext`;
    hint = 'add --tls (with --cacert FILE, or --insecure to skip verification)';
  } else {
    message = `${w} did not complete the HTTP/2 handshake: ${msg}`;
    hint = 'is it a gRPC server? an HTTP/1.1 server needs --protocol connect or grpc-web; a TLS server needs --tls';
  }
  return new DialError(phase === 'tls' ? 'TLS_HANDSHAKE_FAILED' : 'UNREACHABLE', message, {
    hint,
    exitCode: ExitCode.Unreachable,
    cause,
    details: {phase, ...(code ? {errno: code} : {})},
  });
}

function withTimeout<T>(p: Promise<T>, ms: number | undefined, onTimeout: () => void): Promise<T> {
  if (!ms) return p;
  let timer: NodeJS.Timeout;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(Object.assign(new Error('connect timeout'), {code: 'DIAL_CONNECT_TIMEOUT'}));
    }, ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Resolves the target's host to an address (timed as the DNS layer). */
export async function resolveEndpoint(target: ResolvedTarget, info: ConnectionInfo, opts: Pick<SocketOptions, 'connectTimeoutMs'>): Promise<Endpoint> {
  if (target.unix) {
    info.address = `unix:${target.unix}`;
    return {path: target.unix};
  }
  const family = net.isIP(target.host);
  if (family) {
    info.address = target.hostPort;
    return {ip: target.host, port: target.port, family};
  }
  const t0 = performance.now();
  try {
    const r = await withTimeout(lookup(target.host), opts.connectTimeoutMs, () => undefined);
    info.dnsMs = performance.now() - t0;
    info.address = `${r.family === 6 ? `[${r.address}]` : r.address}:${target.port}`;
    return {ip: r.address, port: target.port, family: r.family};
  } catch (e) {
    throw connectFailure(target, 'dns', e, {timeoutMs: opts.connectTimeoutMs});
  }
}

function tlsOptions(opts: SocketOptions, socket: net.Socket): tls.ConnectionOptions {
  const t = opts.tls ?? {};
  const name = t.servername ?? opts.authorityHost;
  return {
    socket,
    ca: t.ca,
    cert: t.cert,
    key: t.key,
    // SNI carries host names only; the certificate is checked against the name either way.
    servername: net.isIP(name) ? undefined : name,
    checkServerIdentity: (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(name, cert),
    rejectUnauthorized: !t.insecure,
    ALPNProtocols: opts.alpn,
  };
}

/** Opens a socket synchronously (no timing): for reconnects after the first connection. */
export function openSocketSync(ep: Endpoint, opts: SocketOptions): net.Socket {
  const sock = 'path' in ep ? net.connect({path: ep.path}) : net.connect({host: ep.ip, port: ep.port, family: ep.family, noDelay: true});
  return opts.tls ? tls.connect(tlsOptions(opts, sock)) : sock;
}

/**
 * Opens the connection layer by layer (TCP or unix socket, then TLS), timing
 * each and turning failures into errors that name the address and the layer.
 */
export async function openSocket(target: ResolvedTarget, ep: Endpoint, info: ConnectionInfo, opts: SocketOptions): Promise<net.Socket> {
  const deadline = opts.connectTimeoutMs ? performance.now() + opts.connectTimeoutMs : undefined;
  const left = () => (deadline === undefined ? undefined : Math.max(1, deadline - performance.now()));
  let t0 = performance.now();
  const sock = 'path' in ep ? net.connect({path: ep.path}) : net.connect({host: ep.ip, port: ep.port, family: ep.family, noDelay: true});
  const abort = () => sock.destroy();
  opts.signal?.addEventListener('abort', abort, {once: true});
  try {
    await withTimeout(new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    }), left(), abort);
  } catch (e) {
    throw connectFailure(target, 'tcp', e, {timeoutMs: opts.connectTimeoutMs});
  } finally {
    opts.signal?.removeEventListener('abort', abort);
  }
  info.tcpMs = performance.now() - t0;
  if (!opts.tls) return sock;
  t0 = performance.now();
  let secure: tls.TLSSocket;
  try {
    secure = tls.connect(tlsOptions(opts, sock));
  } catch (e) {
    // Bad TLS material (a key that does not match, a file that is not PEM) throws here: close the TCP socket, or it holds the process open.
    sock.destroy();
    throw e;
  }
  try {
    await withTimeout(new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
      secure.once('close', () => reject(Object.assign(new Error('the server closed the connection during the TLS handshake'), {code: 'ECONNRESET'})));
    }), left(), () => secure.destroy());
  } catch (e) {
    secure.destroy();
    throw connectFailure(target, 'tls', e, {tls: true, timeoutMs: opts.connectTimeoutMs});
  }
  info.tlsMs = performance.now() - t0;
  info.tls = {
    version: secure.getProtocol() ?? 'unknown',
    cipher: secure.getCipher()?.standardName ?? secure.getCipher()?.name ?? 'unknown',
    alpn: typeof secure.alpnProtocol === 'string' ? secure.alpnProtocol : undefined,
    servername: opts.tls.servername ?? opts.authorityHost,
  };
  return secure;
}

/**
 * After an HTTP/2 failure: what answers there? Sends the HTTP/2 preface on a
 * fresh plaintext connection and looks at the first bytes: "HTTP/1.x" (an
 * HTTP/1 server) or a TLS record (a TLS server spoken to in plaintext).
 */
export async function probePeer(ep: Endpoint, timeoutMs = 1000): Promise<'http1' | 'tls' | 'unknown'> {
  const seen = await probeBytes(ep, timeoutMs);
  return seen === 'unknown' && (await speaksTls(ep, timeoutMs)) ? 'tls' : seen;
}

/** Whether a TLS handshake succeeds there (certificates not checked: only "is it TLS?"). */
function speaksTls(ep: Endpoint, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tls.connect({...('path' in ep ? {path: ep.path} : {host: ep.ip, port: ep.port}), rejectUnauthorized: false, ALPNProtocols: ['h2']});
    const done = (r: boolean) => {
      sock.destroy();
      resolve(r);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('secureConnect', () => done(true));
    sock.once('error', (e: NodeJS.ErrnoException) => done(/alert|certificate/i.test(e.message)));
  });
}

function probeBytes(ep: Endpoint, timeoutMs: number): Promise<'http1' | 'tls' | 'unknown'> {
  return new Promise((resolve) => {
    const sock = 'path' in ep ? net.connect({path: ep.path}) : net.connect({host: ep.ip, port: ep.port, family: ep.family});
    const done = (r: 'http1' | 'tls' | 'unknown') => {
      sock.destroy();
      resolve(r);
    };
    sock.setTimeout(timeoutMs, () => done('unknown'));
    sock.once('error', () => done('unknown'));
    sock.once('connect', () => sock.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
    sock.once('data', (d: Buffer) => done(d.subarray(0, 5).toString('latin1').startsWith('HTTP/') ? 'http1' : d[0] === 0x15 || d[0] === 0x16 ? 'tls' : 'unknown'));
    sock.once('end', () => done('unknown'));
  });
}
