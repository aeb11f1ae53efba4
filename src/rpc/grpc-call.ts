import {fromJson, toJson, type DescMethod, type FileRegistry, type JsonValue} from '@bufbuild/protobuf';
import {Code, ConnectError, type Transport} from '@connectrpc/connect';
import {DialError, ExitCode, grpcStatusName} from '../errors/index.js';
import type {DescriptorSource} from './descriptor-source.js';
import {findMethod, matchService, parseMethodRef} from './method-ref.js';
import type {ResolvedTarget} from './target.js';
import {connectionError} from './transport-errors.js';

export type CallKind = 'unary' | 'server_streaming' | 'client_streaming' | 'bidi_streaming';

/** The full outcome of one RPC: what `dial call --json` prints. */
export interface CallOutcome {
  target: string;
  via?: ResolvedTarget['via'];
  method: string;
  kind: CallKind;
  protocol: 'grpc';
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  messages: JsonValue[];
  trailers: Record<string, string>;
  status: {code: number; name: string; message: string; details?: unknown[]};
  timing: {resolveMs: number; schemaMs: number; firstMessageMs?: number; totalMs: number};
}

export interface GrpcCallOptions {
  target: ResolvedTarget;
  transport: Transport;
  source: DescriptorSource;
  /** As the user wrote it: pkg.Service/Method, Service/Method, Method. */
  method: string;
  /** Request messages as JSON values (one for unary and server streaming). */
  messages: unknown[];
  headers?: [string, string][];
  timeoutMs?: number;
  emitDefaults?: boolean;
  signal?: AbortSignal;
  /** Called for each response message as it arrives (streaming output). */
  onMessage?: (message: JsonValue) => void;
}

function headersToRecord(h: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  h?.forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

/** Finds the method through the descriptor source, with near-miss hints. */
export async function resolveMethod(source: DescriptorSource, methodText: string, where: string): Promise<{method: DescMethod; registry: FileRegistry}> {
  const ref = parseMethodRef(methodText);
  const services = await source.listServices();
  const service = matchService(ref, services, where);
  const scope = service ? [service] : services.filter((s) => !s.startsWith('grpc.reflection.'));
  const registry = await source.registryFor(scope);
  return {method: findMethod(registry, ref, scope, where), registry};
}

function encodeRequests(method: DescMethod, registry: FileRegistry, messages: unknown[]) {
  return messages.map((m, n) => {
    try {
      return fromJson(method.input, m as JsonValue, {registry});
    } catch (e) {
      throw new DialError('BAD_REQUEST_DATA', `request message ${n + 1} does not fit ${method.input.typeName}: ${(e as Error).message.replace(/^cannot decode message [\w.]+ from JSON: /, '')}`, {
        hint: `fields of ${method.input.typeName}: ${method.input.fields.map((f) => f.jsonName).join(', ') || '(none)'}`,
        exitCode: ExitCode.Usage,
      });
    }
  });
}

/** Runs one gRPC call of any kind and returns its full outcome (a non-OK status is an outcome, not a throw). */
export async function grpcCall(opts: GrpcCallOptions): Promise<CallOutcome> {
  const started = performance.now();
  const where = opts.target.via?.service ?? opts.target.hostPort;
  const {method, registry} = await resolveMethod(opts.source, opts.method, where).catch((e: unknown) => {
    throw connectionError(e, opts.target) ?? e;
  });
  const schemaMs = performance.now() - started;
  const kind = method.methodKind as CallKind;
  if ((kind === 'unary' || kind === 'server_streaming') && opts.messages.length !== 1) {
    throw new DialError('BAD_REQUEST_DATA', `${method.parent.typeName}/${method.name} takes exactly one request message, got ${opts.messages.length}`, {
      hint: 'pass one JSON object with -d',
      exitCode: ExitCode.Usage,
    });
  }
  const inputs = encodeRequests(method, registry, opts.messages);
  const requestHeaders = Object.fromEntries(opts.headers ?? []);
  const outcome: CallOutcome = {
    target: opts.target.hostPort,
    ...(opts.target.via ? {via: opts.target.via} : {}),
    method: `${method.parent.typeName}/${method.name}`,
    kind,
    protocol: 'grpc',
    requestHeaders,
    responseHeaders: {},
    messages: [],
    trailers: {},
    status: {code: 0, name: 'OK', message: ''},
    timing: {resolveMs: opts.target.resolveMs, schemaMs, totalMs: 0},
  };
  const emit = (msg: Parameters<typeof toJson>[1]) => {
    outcome.timing.firstMessageMs ??= performance.now() - started;
    const json = toJson(method.output, msg as never, {registry, alwaysEmitImplicit: opts.emitDefaults});
    outcome.messages.push(json);
    opts.onMessage?.(json);
  };
  try {
    if (method.methodKind === 'unary') {
      const res = await opts.transport.unary(method as never, opts.signal, opts.timeoutMs, requestHeaders, inputs[0] as never);
      outcome.responseHeaders = headersToRecord(res.header);
      emit(res.message);
      outcome.trailers = headersToRecord(res.trailer);
    } else {
      async function* input() {
        for (const m of inputs) yield m;
      }
      const res = await opts.transport.stream(method as never, opts.signal, opts.timeoutMs, requestHeaders, input() as never);
      outcome.responseHeaders = headersToRecord(res.header);
      for await (const m of res.message) emit(m);
      outcome.trailers = headersToRecord(res.trailer);
    }
  } catch (e) {
    const err = ConnectError.from(e);
    const unreachable = outcome.messages.length === 0 ? connectionError(e, opts.target) : undefined;
    if (unreachable) throw unreachable;
    if (err.code === Code.Canceled && opts.signal?.aborted) throw e;
    outcome.status = {
      code: err.code,
      name: grpcStatusName(err.code),
      message: err.rawMessage,
      ...(err.details.length ? {details: err.details.map((d) => ('type' in d ? {type: d.type, debug: d.debug} : d))} : {}),
    };
    outcome.trailers = headersToRecord(err.metadata);
  }
  outcome.timing.totalMs = performance.now() - started + opts.target.resolveMs;
  return outcome;
}
