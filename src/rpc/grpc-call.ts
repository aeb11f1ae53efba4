import {fromJson, toJson, type DescMessage, type DescMethod, type FileRegistry, type JsonValue, type Message} from '@bufbuild/protobuf';
import {Code, ConnectError, type Transport} from '@connectrpc/connect';
import {DialError, ExitCode, grpcStatusName} from '../errors/index.js';
import type {ConnectionInfo} from './connection.js';
import type {DescriptorSource} from './descriptor-source.js';
import {decodeErrorDetails} from './error-details.js';
import type {FirstByteClock} from './http2-session.js';
import {joinedHeaders} from './metadata.js';
import {findMethod, matchService, parseMethodRef} from './method-ref.js';
import type {ResolvedTarget} from './target.js';
import {connectionError} from './transport-errors.js';

export type CallKind = 'unary' | 'server_streaming' | 'client_streaming' | 'bidi_streaming';

/** Time spent in each layer of a call, in ms (dial call -v, --json). */
export interface CallTiming {
  /** Finding the address: the registry lookup (0 for HOST:PORT). */
  resolveMs: number;
  dnsMs?: number;
  tcpMs?: number;
  tlsMs?: number;
  /** HTTP/2 connection preface sent until the server's SETTINGS arrived. */
  http2Ms?: number;
  /** Learning the schema (server reflection, or reading --proto/--protoset files). */
  schemaMs: number;
  /** From sending the request to the first response byte (headers). */
  firstByteMs?: number;
  /** From the start until the first response message was decoded. */
  firstMessageMs?: number;
  totalMs: number;
}

/** The full outcome of one RPC: what `dial call --json` prints. */
export interface CallOutcome {
  /** The address called: HOST:PORT, or unix:PATH. */
  target: string;
  via?: ResolvedTarget['via'];
  method: string;
  kind: CallKind;
  protocol: string;
  /** Where the schema came from (server reflection, proto files, a protoset). */
  schema?: string;
  connection?: ConnectionInfo;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  messages: JsonValue[];
  /** Response messages received (messages holds them unless collect was false). */
  messageCount: number;
  trailers: Record<string, string>;
  /** details: google.rpc.Status details from grpc-status-details-bin, as JSON with "@type". */
  status: {code: number; name: string; message: string; details?: JsonValue[]};
  timing: CallTiming;
}

export interface GrpcCallOptions {
  target: ResolvedTarget;
  transport: Transport;
  source: DescriptorSource;
  protocol?: string;
  /** As the user wrote it: pkg.Service/Method, Service/Method, Method. */
  method: string;
  /** Request messages as JSON values; an async iterable streams them (client and bidi streaming). */
  messages: unknown[] | AsyncIterable<unknown>;
  headers?: [string, string][];
  timeoutMs?: number;
  emitDefaults?: boolean;
  signal?: AbortSignal;
  /** Called for each response message as it arrives (streaming output). */
  onMessage?: (message: JsonValue) => void;
  /** Keep the response messages in the outcome (default true); false for long streams printed as they arrive. */
  collect?: boolean;
  connection?: ConnectionInfo;
  clock?: FirstByteClock;
  /** performance.now() when the call began (before connecting), for totalMs. */
  startedAt?: number;
}

function headersToRecord(h: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  h?.forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

/**
 * Finds the method through the descriptor source, with near-miss hints. A
 * fully-qualified service is asked for directly (one reflection round trip);
 * short names list the services first.
 */
export async function resolveMethod(source: DescriptorSource, methodText: string, where: string, extraSymbols: string[] = []): Promise<{method: DescMethod; registry: FileRegistry}> {
  const ref = parseMethodRef(methodText);
  if (ref.service?.includes('.')) {
    try {
      const registry = await source.registryFor([ref.service, ...extraSymbols]);
      if (registry.getService(ref.service)) return {method: findMethod(registry, ref, [ref.service], where), registry};
    } catch (e) {
      if (!(e instanceof DialError && e.code === 'SYMBOL_NOT_FOUND')) throw e;
    }
  }
  const services = await source.listServices();
  const service = matchService(ref, services, where);
  const scope = service ? [service] : services.filter((s) => !s.startsWith('grpc.reflection.'));
  const registry = await source.registryFor([...scope, ...extraSymbols]);
  return {method: findMethod(registry, ref, scope, where), registry};
}

/** Type names of the Any values ("@type") in request JSON, so their schemas are fetched too. */
export function anyTypeNames(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) anyTypeNames(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '@type' && typeof v === 'string') out.add(v.slice(v.lastIndexOf('/') + 1));
      else anyTypeNames(v, out);
    }
  }
  return out;
}

function encodeRequest(method: DescMethod, registry: FileRegistry, m: unknown, n: number): Message {
  try {
    return fromJson(method.input, m as JsonValue, {registry});
  } catch (e) {
    throw new DialError('BAD_REQUEST_DATA', `request message ${n + 1} does not fit ${method.input.typeName}: ${(e as Error).message.replace(/^cannot decode message [\w.]+ from JSON: /, '')}`, {
      hint: `fields of ${method.input.typeName}: ${method.input.fields.map((f) => f.jsonName).join(', ') || '(none)'}`,
      exitCode: ExitCode.Usage,
    });
  }
}

function checkHeaders(headers: [string, string][]): void {
  for (const [k, v] of headers) {
    if (k.endsWith('-bin') && !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v)) {
      throw new DialError('USAGE', `header '${k}' ends in -bin, so its value must be base64 (got '${v}')`, {
        hint: `binary metadata travels base64-encoded: -H '${k}: ${Buffer.from(v).toString('base64')}'`,
        exitCode: ExitCode.Usage,
      });
    }
  }
}

/** Whether a message (or any message inside it) has a google.protobuf.Any field. */
function containsAny(desc: DescMessage, seen = new Set<string>()): boolean {
  if (desc.typeName === 'google.protobuf.Any') return true;
  if (seen.has(desc.typeName)) return false;
  seen.add(desc.typeName);
  return desc.fields.some((f) => {
    const m = f.fieldKind === 'message' ? f.message : (f.fieldKind === 'list' || f.fieldKind === 'map') && f.message ? f.message : undefined;
    return m !== undefined && containsAny(m, seen);
  });
}

/** Puts "@type" first in every object (proto3 JSON writes Any that way; @bufbuild/protobuf appends it). */
function typeFirst(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(typeFirst);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, JsonValue> = '@type' in v ? {'@type': v['@type']} : {};
  for (const [k, x] of Object.entries(v)) if (k !== '@type') out[k] = typeFirst(x);
  return out;
}

/** Runs one gRPC-family call of any kind and returns its full outcome (a non-OK status is an outcome, not a throw). */
export async function grpcCall(opts: GrpcCallOptions): Promise<CallOutcome> {
  const started = opts.startedAt ?? performance.now();
  const schemaStart = performance.now();
  const where = opts.target.via?.service ?? opts.target.hostPort;
  const staticMessages = Array.isArray(opts.messages) ? opts.messages : undefined;
  const anyTypes = staticMessages ? [...anyTypeNames(staticMessages)] : [];
  const resolved = await resolveMethod(opts.source, opts.method, where, anyTypes).catch((e: unknown) => {
    throw connectionError(e, opts.target) ?? e;
  });
  const method = resolved.method;
  let registry = resolved.registry;
  const schemaMs = performance.now() - schemaStart;
  const kind = method.methodKind as CallKind;
  if (kind === 'bidi_streaming' && opts.connection?.httpVersion === '1.1') {
    throw new DialError('BIDI_NEEDS_HTTP2', `${method.parent.typeName}/${method.name} is bidi streaming, which ${opts.protocol ?? 'this protocol'} cannot do over HTTP/1.1`, {
      hint: `add --http2 (${opts.protocol ?? 'the protocol'} over HTTP/2), or call it with --protocol grpc`,
      exitCode: ExitCode.Usage,
    });
  }
  const single = kind === 'unary' || kind === 'server_streaming';
  let inputs: Message[] | AsyncIterable<Message>;
  if (staticMessages || single) {
    const all: unknown[] = staticMessages ?? [];
    if (!staticMessages) for await (const m of opts.messages) all.push(m);
    if (single && all.length !== 1) {
      throw new DialError('BAD_REQUEST_DATA', `${method.parent.typeName}/${method.name} takes exactly one request message, got ${all.length}`, {
        hint: 'pass one JSON object with -d',
        exitCode: ExitCode.Usage,
      });
    }
    if (!staticMessages && anyTypeNames(all).size) registry = await opts.source.registryFor([method.parent.typeName, ...anyTypeNames(all)]);
    inputs = all.map((m, n) => encodeRequest(method, registry, m, n));
  } else {
    const source = opts.messages as AsyncIterable<unknown>;
    inputs = (async function* () {
      let n = 0;
      for await (const m of source) {
        const types = anyTypeNames(m);
        if ([...types].some((t) => !registry.getMessage(t))) registry = await opts.source.registryFor([method.parent.typeName, ...types]);
        yield encodeRequest(method, registry, m, n++);
      }
    })();
  }
  const headers = opts.headers ?? [];
  checkHeaders(headers);
  // A name given more than once keeps every value (sent as separate fields on HTTP/2, see DialHttp2Session).
  const requestHeaders = joinedHeaders(headers);
  const conn = opts.connection;
  const outcome: CallOutcome = {
    target: conn?.address ?? opts.target.hostPort,
    ...(opts.target.via ? {via: opts.target.via} : {}),
    method: `${method.parent.typeName}/${method.name}`,
    kind,
    protocol: opts.protocol ?? 'grpc',
    schema: opts.source.description,
    ...(conn ? {connection: conn} : {}),
    requestHeaders,
    responseHeaders: {},
    messages: [],
    messageCount: 0,
    trailers: {},
    status: {code: 0, name: 'OK', message: ''},
    timing: {resolveMs: opts.target.resolveMs, schemaMs, totalMs: 0},
  };
  const anyInside = containsAny(method.output);
  const deliver = (raw: JsonValue) => {
    const json = anyInside ? typeFirst(raw) : raw;
    outcome.messageCount++;
    if (opts.collect !== false) outcome.messages.push(json);
    opts.onMessage?.(json);
  };
  /** An Any of a type the registry lacks: fetch its schema (bounded) and try again. */
  const resolving = async (msg: Message, first: unknown): Promise<void> => {
    let err = first;
    for (let i = 0; i < 8; i++) {
      const missing = /"(?:[^"]*\/)?([\w.]+)" is not in the type registry/.exec((err as Error).message)?.[1];
      if (!missing) break;
      registry = await opts.source.registryFor([method.parent.typeName, missing]);
      try {
        return deliver(toJson(method.output, msg as never, {registry, alwaysEmitImplicit: opts.emitDefaults}));
      } catch (e) {
        err = e;
      }
    }
    throw err;
  };
  // Synchronous on the common path: a long stream pays no promise per message.
  const emit = (msg: Message): Promise<void> | undefined => {
    outcome.timing.firstMessageMs ??= performance.now() - started + opts.target.resolveMs;
    try {
      deliver(toJson(method.output, msg as never, {registry, alwaysEmitImplicit: opts.emitDefaults}));
      return undefined;
    } catch (e) {
      return resolving(msg, e);
    }
  };
  if (opts.clock) opts.clock.callStartedAt = performance.now();
  try {
    if (method.methodKind === 'unary') {
      const res = await opts.transport.unary(method as never, opts.signal, opts.timeoutMs, requestHeaders, (inputs as Message[])[0] as never);
      outcome.responseHeaders = headersToRecord(res.header);
      await emit(res.message as Message);
      outcome.trailers = headersToRecord(res.trailer);
    } else {
      const input = Array.isArray(inputs) ? (async function* () {
        for (const m of inputs as Message[]) yield m;
      })() : inputs;
      const res = await opts.transport.stream(method as never, opts.signal, opts.timeoutMs, requestHeaders, input as never);
      outcome.responseHeaders = headersToRecord(res.header);
      for await (const m of res.message) {
        const pending = emit(m as Message);
        if (pending) await pending;
      }
      outcome.trailers = headersToRecord(res.trailer);
    }
  } catch (e) {
    if (e instanceof DialError) throw e;
    if (e instanceof ConnectError && e.cause instanceof DialError) throw e.cause;
    const err = ConnectError.from(e);
    const unreachable = outcome.messages.length === 0 ? connectionError(e, opts.target) : undefined;
    if (unreachable) throw unreachable;
    if (err.code === Code.Canceled && opts.signal?.aborted) throw new DialError('INTERRUPTED', 'interrupted', {exitCode: ExitCode.Interrupted, cause: e});
    outcome.status = {code: err.code, name: grpcStatusName(err.code), message: err.rawMessage};
    const details = await decodeErrorDetails(err, registry, opts.source);
    if (details.length) outcome.status.details = details;
    outcome.trailers = headersToRecord(err.metadata);
  }
  if (opts.clock?.sentHeaders) outcome.requestHeaders = opts.clock.sentHeaders;
  const t = outcome.timing;
  const r = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms * 1000) / 1000);
  // The connection may open lazily (on the first request), so its layers are read at the end.
  const timing: CallTiming = {
    resolveMs: r(t.resolveMs)!,
    dnsMs: r(conn?.dnsMs),
    tcpMs: r(conn?.tcpMs),
    tlsMs: r(conn?.tlsMs),
    http2Ms: r(conn?.http2Ms),
    schemaMs: r(t.schemaMs)!,
    firstByteMs: r(opts.clock?.firstByteMs),
    firstMessageMs: r(t.firstMessageMs),
    totalMs: r(performance.now() - started + opts.target.resolveMs)!,
  };
  for (const k of Object.keys(timing) as (keyof CallTiming)[]) if (timing[k] === undefined) delete timing[k];
  outcome.timing = timing;
  if (conn) outcome.connection = {...conn, dnsMs: r(conn.dnsMs), tcpMs: r(conn.tcpMs), tlsMs: r(conn.tlsMs), http2Ms: r(conn.http2Ms)};
  for (const k of ['dnsMs', 'tcpMs', 'tlsMs', 'http2Ms'] as const) if (outcome.connection?.[k] === undefined) delete outcome.connection?.[k];
  return outcome;
}
