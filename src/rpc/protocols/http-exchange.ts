import {STATUS_CODES} from 'node:http';
import {Agent} from 'undici';
import {request} from '../../util/http-request.js';
import {outgoingTraceparent} from '../../metrics/trace.js';
import {grpcStatusName} from '../../errors/index.js';
import {connectionError} from '../transport-errors.js';
import type {HttpProtocolName, ProtocolOutcome, ProtocolRequest} from './types.js';
import {headerFields, joinedHeaders} from '../metadata.js';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  contentType: string;
}

/** The origin (scheme://host:port) of a call: https when TLS options are set; a URL target's own host as written. */
export function originOf(req: ProtocolRequest): string {
  return `${req.transport?.tls ? 'https' : 'http'}://${req.target.scheme && req.target.authority ? req.target.authority : req.target.hostPort}`;
}

/** A base path (an instance's metadata `path`) joined with a request path: /api + /users/1 -> /api/users/1. */
export function joinPath(base: string | undefined, path: string): string {
  if (!base || base === '/') return path;
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** An outcome with nothing received yet (status OK until something says otherwise). */
export function startOutcome(req: ProtocolRequest, protocol: HttpProtocolName, codec: string, method: string, httpMethod: string, url: string): ProtocolOutcome {
  return {
    target: req.target.hostPort,
    ...(req.target.via ? {via: req.target.via} : {}),
    method,
    kind: 'unary',
    protocol,
    codec,
    requestHeaders: {},
    responseHeaders: {},
    messages: [],
    trailers: {},
    status: {code: 0, name: 'OK', message: ''},
    http: {method: httpMethod, url, status: 0, statusText: ''},
    timing: {resolveMs: req.target.resolveMs, schemaMs: 0, totalMs: 0},
  };
}

/** Sets a non-OK gRPC status on the outcome. */
export function setStatus(outcome: ProtocolOutcome, code: number, message: string, details?: unknown[]): void {
  outcome.status = {code, name: grpcStatusName(code), message, ...(details?.length ? {details} : {})};
}

/** Finishes the timing of an outcome started at `started` (performance.now()). */
export function finish(outcome: ProtocolOutcome, started: number): ProtocolOutcome {
  outcome.timing.totalMs = performance.now() - started + outcome.timing.resolveMs;
  return outcome;
}

/**
 * One HTTP/1.1 exchange over undici, recorded in the outcome (request and
 * response headers, HTTP status, time to first byte). Returns undefined when
 * the --max-time deadline passed (the outcome then says DEADLINE_EXCEEDED);
 * connection failures throw UNREACHABLE (exit 3) naming the address.
 */
export async function exchange(
  req: ProtocolRequest,
  outcome: ProtocolOutcome,
  init: {headers: Record<string, string>; body?: Buffer | string},
  started: number,
): Promise<HttpResponse | undefined> {
  const tls = req.transport?.tls;
  const dispatcher = new Agent({
    connect: tls ? {ca: tls.ca, cert: tls.cert, key: tls.key, servername: tls.servername, rejectUnauthorized: !tls.insecure} : undefined,
  });
  const traceparent = outgoingTraceparent();
  // -H names given more than once send every value (as separate header lines).
  const headers: Record<string, string | string[]> = {
    'user-agent': req.transport?.userAgent ?? 'dial',
    ...(traceparent ? {traceparent} : {}),
    ...init.headers,
    ...headerFields(req.headers),
  };
  outcome.requestHeaders = {...headers, ...joinedHeaders(req.headers)} as Record<string, string>;
  const deadline = req.timeoutMs ? AbortSignal.timeout(req.timeoutMs) : undefined;
  const signal = deadline && req.signal ? AbortSignal.any([deadline, req.signal]) : (deadline ?? req.signal);
  try {
    const res = await request(outcome.http.url, {method: outcome.http.method as 'GET', headers, body: init.body, dispatcher, signal});
    outcome.timing.firstMessageMs = performance.now() - started;
    const body = Buffer.from(await res.body.arrayBuffer());
    const responseHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
    outcome.responseHeaders = responseHeaders;
    outcome.http.status = res.statusCode;
    outcome.http.statusText = STATUS_CODES[res.statusCode] ?? '';
    return {status: res.statusCode, headers: responseHeaders, body, contentType: (responseHeaders['content-type'] ?? '').split(';')[0].trim().toLowerCase()};
  } catch (e) {
    if (deadline?.aborted && !req.signal?.aborted) {
      setStatus(outcome, 4, `no complete response within ${req.timeoutMs}ms (--max-time)`);
      return undefined;
    }
    throw connectionError(e, req.target) ?? e;
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}
