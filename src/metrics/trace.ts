/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent`
 * header `00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>`. dial
 * starts a trace per command that talks to services; every request the
 * command sends in that context carries the same trace id with a fresh span
 * id, so the daemon's and the instances' logs can be searched for it.
 */
import {AsyncLocalStorage} from 'node:async_hooks';
import {randomBytes} from 'node:crypto';

export interface TraceContext {
  traceId: string;
  /** The span id of the operation that started the trace. */
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const storage = new AsyncLocalStorage<TraceContext>();

/** Parses a traceparent header; undefined when it is not valid (all-zero ids are invalid, as the spec says). */
export function parseTraceparent(header: string | undefined): TraceContext | undefined {
  const m = TRACEPARENT.exec((header ?? '').trim().toLowerCase());
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]) || /^0+$/.test(m[3])) return undefined;
  return {traceId: m[2], spanId: m[3], sampled: (parseInt(m[4], 16) & 1) === 1};
}

/** A new random trace (sampled). */
export function newTrace(): TraceContext {
  return {traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), sampled: true};
}

/** The traceparent header for one outgoing request of `ctx`: same trace id, a fresh span id. */
export function childTraceparent(ctx: TraceContext): string {
  return `00-${ctx.traceId}-${randomBytes(8).toString('hex')}-${ctx.sampled ? '01' : '00'}`;
}

/** Runs `fn` with `ctx` as the current trace: requests sent inside carry it. */
export function withTrace<T>(ctx: TraceContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

let processTrace: TraceContext | undefined;

/**
 * Makes `ctx` the trace of the whole process (a CLI command is one operation).
 * Unlike withTrace it needs no AsyncLocalStorage, whose promise hooks (Node 20)
 * cost every promise of a long stream dearly.
 */
export function setProcessTrace(ctx: TraceContext | undefined): void {
  processTrace = ctx;
}

/** The trace of the running operation (withTrace), else the process's, if any. */
export function currentTrace(): TraceContext | undefined {
  return storage.getStore() ?? processTrace;
}

/** The traceparent to send on a request made now, if a trace is active. */
export function outgoingTraceparent(): string | undefined {
  const ctx = currentTrace();
  return ctx ? childTraceparent(ctx) : undefined;
}

/**
 * The trace of a command from its -H headers, and the headers without
 * `traceparent`: the transports send one per request (outgoingTraceparent),
 * so a given header must not be forwarded as is. A valid traceparent is
 * continued: same trace id, and each request a fresh span id (a child of the
 * given span). An invalid one is replaced by a new trace and returned as
 * `invalid`, so the command can say so.
 */
export function traceFromHeaders(headers: [string, string][]): {trace: TraceContext; headers: [string, string][]; invalid?: string} {
  const given = headers.filter(([k]) => k.toLowerCase() === 'traceparent').map(([, v]) => v);
  const rest = given.length ? headers.filter(([k]) => k.toLowerCase() !== 'traceparent') : headers;
  const parsed = given.length ? parseTraceparent(given[0]) : undefined;
  return {trace: parsed ?? newTrace(), headers: rest, ...(given.length && !parsed ? {invalid: given[0]} : {})};
}
