import diagnostics from 'node:diagnostics_channel';
import type {IncomingMessage, Server, ServerResponse} from 'node:http';
import type {RequestMetrics} from './request-metrics.js';
import {parseTraceparent} from './trace.js';

export interface HttpInstrumentationOptions {
  metrics: RequestMetrics;
  /** Which servers of this process to instrument (default: all). */
  include?: (server: Server) => boolean;
  /** The `method` label: HTTP method and a low-cardinality route (default: method and path, capped). */
  label?: (req: IncomingMessage, url: URL) => string;
  /** Requests counted but not timed (blocking queries, streams). */
  untimed?: (req: IncomingMessage, url: URL) => boolean;
  /** Health-check probes: counted as probes, not requests. */
  isProbe?: (req: IncomingMessage, url: URL) => boolean;
  /** Called for each finished request that carried a valid W3C traceparent. */
  onTrace?: (line: string) => void;
}

/** At most this many distinct default labels; later paths share "other". */
const MAX_LABELS = 50;

/**
 * Instruments every node:http(s) server in this process through Node's
 * diagnostics channel `http.server.request.start` (no change to the servers'
 * code): requests by method label and status, latency, in-flight, probes,
 * and a log line for each request that carries a traceparent.
 */
export function instrumentHttpServers(opts: HttpInstrumentationOptions): () => void {
  const seen = new Set<string>();
  const defaultLabel = (req: IncomingMessage, url: URL) => {
    let label = `${req.method} ${url.pathname}`;
    if (!seen.has(label)) {
      if (seen.size >= MAX_LABELS) label = `${req.method} other`;
      else seen.add(label);
    }
    return label;
  };
  const onStart = (message: unknown) => {
    const {request: req, response: res, server} = message as {request: IncomingMessage; response: ServerResponse; server: Server};
    if (opts.include && !opts.include(server)) return;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return; // not a URL (e.g. "GET http://[::1"): the server answers 400; nothing to label
    }
    if (opts.isProbe?.(req, url)) {
      res.once('close', () => opts.metrics.probe(res.statusCode < 300 && res.writableFinished ? 'ok' : 'error'));
      return;
    }
    const method = (opts.label ?? defaultLabel)(req, url);
    const started = performance.now();
    const done = opts.metrics.start(method);
    const timed = !opts.untimed?.(req, url);
    res.once('close', () => {
      const code = res.writableFinished ? String(res.statusCode) : 'aborted';
      done(code, {timed});
      const trace = parseTraceparent(headerValue(req.headers.traceparent));
      if (trace && opts.onTrace) {
        opts.onTrace(`trace=${trace.traceId} span=${trace.spanId} ${req.method} ${url.pathname} ${code} ${(performance.now() - started).toFixed(1)}ms`);
      }
    });
  };
  diagnostics.subscribe('http.server.request.start', onStart);
  return () => diagnostics.unsubscribe('http.server.request.start', onStart);
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}
