import {Agent} from 'undici';
import {request} from '../util/http-request.js';
import {DialError, ExitCode, unreachableError} from '../errors/index.js';
import {tlsConnectionError} from '../tls/handshake-errors.js';
import {outgoingTraceparent} from '../metrics/trace.js';

export interface HttpClientOptions {
  /** Base URL, e.g. http://127.0.0.1:7500 */
  baseUrl: string;
  /** Human name of the peer for error messages ("the cluster at 127.0.0.1:7500"). */
  peerName: string;
  /** What to do when the peer is unreachable. */
  unreachableHint: string;
  token?: string;
  tls?: {ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; servername?: string; rejectUnauthorized?: boolean};
  /** Per-request timeout in ms for non-blocking requests (default 10s). */
  timeoutMs?: number;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/**
 * A small JSON-over-HTTP client on undici, with dial's error mapping:
 * connection failures -> UNREACHABLE (exit 3), 403 -> ACL_DENIED, other 4xx/5xx
 * -> the server's message. Used by every HTTP-speaking registry client.
 */
export class HttpClient {
  private readonly dispatcher: Agent;

  constructor(readonly opts: HttpClientOptions) {
    this.dispatcher = new Agent({
      connect: opts.tls ? {...opts.tls} : undefined,
      connectTimeout: 5_000,
      keepAliveTimeout: 10_000,
    });
  }

  async send<T>(
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    path: string,
    init: {body?: unknown; raw?: Buffer | string; query?: Record<string, string | number | boolean | undefined>; signal?: AbortSignal; timeoutMs?: number; allow404?: boolean} = {},
  ): Promise<HttpResponse<T>> {
    const url = new URL(path, this.opts.baseUrl);
    for (const [k, v] of Object.entries(init.query ?? {})) {
      if (v === undefined || v === false) continue;
      url.searchParams.set(k, v === true ? '' : String(v));
    }
    const headers: Record<string, string> = {};
    if (this.opts.token) headers['x-consul-token'] = this.opts.token;
    const traceparent = outgoingTraceparent();
    if (traceparent) headers.traceparent = traceparent;
    let body: string | Buffer | undefined;
    if (init.raw !== undefined) body = init.raw;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] = 'application/json';
    }
    const timeout = init.timeoutMs ?? this.opts.timeoutMs ?? 10_000;
    let res;
    try {
      res = await request(url, {
        method,
        headers,
        body,
        signal: init.signal,
        dispatcher: this.dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw (this.opts.tls && tlsConnectionError(e, this.opts.peerName, this.opts.tls)) || unreachableError(this.opts.peerName, e, this.opts.unreachableHint);
    }
    const text = await res.body.text();
    if (res.statusCode === 404 && init.allow404) {
      return {status: 404, headers: res.headers, body: undefined as T};
    }
    if (res.statusCode >= 400) {
      const msg = text.trim() || `HTTP ${res.statusCode}`;
      if (res.statusCode === 403) {
        throw new DialError('ACL_DENIED', `${this.opts.peerName} refused the request: ${msg}`, {
          hint: 'pass the ACL token with --token or DIAL_TOKEN',
          exitCode: ExitCode.Failed,
          details: {httpStatus: 403},
        });
      }
      throw new DialError(res.statusCode === 404 ? 'NOT_FOUND' : 'REGISTRY_ERROR', `${method} ${url.pathname}: ${msg}`, {
        exitCode: ExitCode.Failed,
        details: {httpStatus: res.statusCode},
      });
    }
    let parsed: unknown = text;
    if ((res.headers['content-type'] ?? '').toString().includes('json') && text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new DialError('BAD_RESPONSE', `${this.opts.peerName} sent invalid JSON for ${url.pathname}`);
      }
    }
    return {status: res.statusCode, headers: res.headers, body: parsed as T};
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
