import * as http from 'node:http';
import type * as net from 'node:net';
import thrift from 'thrift';
import type {Protocol} from '../../codecs/thrift.js';
import type {ThriftStruct} from '../../codecs/thrift-idl.js';
import {DialError, ExitCode} from '../../errors/index.js';
import {outgoingTraceparent} from '../../metrics/trace.js';
import {openSocket, resolveEndpoint, targetLabel, type ConnectionInfo, type TlsOptions} from '../connection.js';
import type {ResolvedTarget} from '../target.js';
import {isUnderrun, PROTOCOL_CLASSES, readReply, THRIFT_PROTOCOLS, THRIFT_TRANSPORTS, type ThriftProtocolName, type ThriftReply, type ThriftTransportName} from './wire.js';

/** One request/reply exchange with a Thrift server, over a framed or buffered socket or an HTTP POST. */
export interface ExchangeRequest {
  target: ResolvedTarget;
  transport: ThriftTransportName;
  protocol: ThriftProtocolName;
  /** HTTP: the path to POST to (default /). */
  path?: string;
  /** TLS settings, or undefined for plaintext. */
  tls?: TlsOptions;
  /** HTTP: the Host header (default the target's HOST:PORT) and -H headers. */
  authority?: string;
  headers?: [string, string][];
  userAgent?: string;
  connectTimeoutMs?: number;
  /** Limit for the whole exchange (from --max-time). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** HTTP: filled in with the headers dial itself added (content-type, traceparent), for the outcome. */
  sentHeaders?: Record<string, string>;
  /** The encoded call message (unframed). */
  message: Buffer;
  /** Oneway calls send and return: no reply is awaited. */
  oneway: boolean;
  /** The `_result` struct the reply is read as. */
  result: ThriftStruct;
  info: ConnectionInfo;
}

export interface ExchangeResult {
  reply?: ThriftReply;
  /** Milliseconds from sending until the first reply byte. */
  firstByteMs?: number;
  http?: {method: 'POST'; url: string; status: number; statusText: string; headers: Record<string, string>};
}

/** The other transports and protocols, for hints when a server answers nothing dial can read. */
export function mismatchHint(r: Pick<ExchangeRequest, 'transport' | 'protocol'>): string {
  const t = THRIFT_TRANSPORTS.filter((x) => x !== r.transport && x !== 'http');
  const p = THRIFT_PROTOCOLS.filter((x) => x !== r.protocol);
  return `the server may use another transport or protocol: try ${t.map((x) => `--thrift-transport ${x}`).join(', ')}, or ${p.map((x) => `--thrift-protocol ${x}`).join(', ')}`;
}

/** `cause`: the socket error, kept so that a TLS refusal (a client certificate the server dropped) is reported as one. */
function noReply(r: ExchangeRequest, why: string, cause?: unknown): DialError {
  return new DialError('THRIFT_NO_REPLY', `${targetLabel(r.target)} ${why} (dial spoke ${r.transport} transport, ${r.protocol} protocol)`, {
    // A TLS server drops the plaintext it cannot read, which looks like a transport mismatch.
    hint: `${mismatchHint(r)}${r.tls ? '' : '; a TLS server needs --tls (with --cacert FILE, or --insecure)'}`,
    exitCode: ExitCode.RpcBase + 14, ...(cause ? {cause} : {}),
  });
}

function badReply(r: ExchangeRequest, e: unknown): DialError {
  return new DialError('BAD_THRIFT_REPLY', `the reply from ${targetLabel(r.target)} is not a ${r.protocol}-protocol reply over the ${r.transport} transport: ${(e as Error).message || String(e)}`, {
    hint: mismatchHint(r), exitCode: ExitCode.Failed, cause: e,
  });
}

function timedOut(r: ExchangeRequest): DialError {
  return new DialError('DEADLINE_EXCEEDED', `no reply from ${targetLabel(r.target)} within ${r.timeoutMs}ms`, {
    hint: `a server that waits for more bytes may use another transport: ${mismatchHint(r).replace(/^the server may use another transport or protocol: /, '')}`,
    exitCode: ExitCode.RpcBase + 4,
  });
}

async function connect(r: ExchangeRequest, alpn: string[]): Promise<net.Socket> {
  const authorityHost = (r.authority ?? r.target.hostPort).replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/:\d+$/, '');
  const opts = {tls: r.tls, alpn, authorityHost, connectTimeoutMs: r.connectTimeoutMs, signal: r.signal};
  const ep = await resolveEndpoint(r.target, r.info, opts);
  return openSocket(r.target, ep, r.info, opts);
}

/** Runs `fn` with a settle-once promise, a deadline and the abort signal; `cleanup` always runs. */
function guarded<T>(r: ExchangeRequest, cleanup: () => void, fn: (resolve: (v: T) => void, reject: (e: unknown) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => finish(() => reject(new DialError('CANCELLED', 'the call was cancelled', {exitCode: 130})));
    const finish = (f: () => void) => {
      if (timer) clearTimeout(timer);
      r.signal?.removeEventListener('abort', onAbort);
      cleanup();
      f();
    };
    if (r.timeoutMs) timer = setTimeout(() => finish(() => reject(timedOut(r))), r.timeoutMs);
    r.signal?.addEventListener('abort', onAbort, {once: true});
    let settled = false;
    fn((v) => {
      if (!settled) finish(() => resolve(v));
      settled = true;
    }, (e) => {
      if (!settled) finish(() => reject(e));
      settled = true;
    });
  });
}

async function overSocket(r: ExchangeRequest): Promise<ExchangeResult> {
  const sock = await connect(r, []);
  const framed = r.transport === 'framed';
  const out = framed ? Buffer.concat([Buffer.from([0, 0, 0, 0]), r.message]) : r.message;
  if (framed) out.writeInt32BE(r.message.length, 0);
  const sentAt = performance.now();
  let firstByteMs: number | undefined;
  return guarded<ExchangeResult>(r, () => sock.destroy(), (resolve, reject) => {
    sock.on('error', (e) => reject(noReply(r, `failed during the call (${(e as NodeJS.ErrnoException).code ?? e.message})`, e)));
    if (r.oneway) {
      sock.write(out, () => sock.end(() => resolve({})));
      return;
    }
    const onTransport = (trans: unknown) => {
      const p = new PROTOCOL_CLASSES[r.protocol](trans) as Protocol;
      try {
        resolve({reply: readReply(p, r.result), firstByteMs});
      } catch (e) {
        if (!framed && isUnderrun(e)) (trans as {rollbackPosition(): void}).rollbackPosition();
        else reject(badReply(r, e));
      }
    };
    type Receiver = (cb: unknown, seqid: unknown, maxLength: number) => (d: Buffer) => void;
    const receive = ((framed ? thrift.TFramedTransport.receiver : thrift.TBufferedTransport.receiver) as unknown as Receiver)(onTransport, undefined, framed ? 16_384_000 : 100 * 1024 * 1024);
    sock.on('data', (d: Buffer) => {
      firstByteMs ??= performance.now() - sentAt;
      try {
        receive(d);
      } catch (e) {
        reject(badReply(r, e));
      }
    });
    sock.on('close', () => reject(noReply(r, firstByteMs === undefined ? 'closed the connection without a reply' : 'closed the connection in the middle of its reply')));
    sock.write(out);
  });
}

async function overHttp(r: ExchangeRequest): Promise<ExchangeResult> {
  const sock = await connect(r, ['http/1.1']);
  r.info.httpVersion = '1.1';
  const host = r.authority ?? r.target.hostPort;
  const path = r.path ?? '/';
  const url = `${r.tls ? 'https' : 'http'}://${host}${path}`;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of r.headers ?? []) headers[k] = k in headers ? [...[headers[k]].flat(), v] : v;
  // W3C trace context, as in the other HTTP-based protocols (framed and buffered sockets have no place for it).
  const traceparent = outgoingTraceparent();
  if (traceparent) headers.traceparent = traceparent;
  r.sentHeaders = {'content-type': 'application/x-thrift', ...(traceparent ? {traceparent} : {})};
  const sentAt = performance.now();
  return guarded<ExchangeResult>(r, () => sock.destroy(), (resolve, reject) => {
    const req = http.request({
      method: 'POST', host: r.target.host, port: r.target.port, path, createConnection: () => sock,
      headers: {
        host, 'content-type': 'application/x-thrift', accept: 'application/x-thrift', 'content-length': String(r.message.length),
        ...(r.userAgent ? {'user-agent': r.userAgent} : {}), ...headers,
      },
    }, (res) => {
      const firstByteMs = performance.now() - sentAt;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => reject(noReply(r, `broke off its HTTP response (${e.message})`)));
      res.on('end', () => {
        const httpInfo = {method: 'POST' as const, url, status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]))};
        const body = Buffer.concat(chunks);
        if (httpInfo.status !== 200 || r.oneway) return resolve({http: httpInfo, firstByteMs});
        try {
          resolve({reply: readReply(new PROTOCOL_CLASSES[r.protocol](new thrift.TFramedTransport(body)), r.result), firstByteMs, http: httpInfo});
        } catch (e) {
          reject(badReply(r, isUnderrun(e) ? new Error(`the body (${body.length} bytes) ends in the middle of a message`) : e));
        }
      });
    });
    req.on('error', (e) => reject(noReply(r, `failed during the HTTP exchange (${(e as NodeJS.ErrnoException).code ?? e.message})`, e)));
    // Oneway: no reply is awaited. Servers differ (Python's THttpServer answers 200 at once, the npm package's never
    // answers), so the status is kept when it comes within a moment of sending, and the call returns either way.
    if (r.oneway) req.on('finish', () => setTimeout(() => resolve({}), 200).unref());
    req.end(r.message);
  });
}

/** Sends the call and reads the reply (none for oneway calls). */
export function exchange(r: ExchangeRequest): Promise<ExchangeResult> {
  return r.transport === 'http' ? overHttp(r) : overSocket(r);
}
