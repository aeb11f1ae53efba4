import type {JsonValue} from '@bufbuild/protobuf';
import type {Registry} from '../registry/index.js';
import {grpcCall, type CallOutcome} from './grpc-call.js';
import {ReflectionSource} from './reflection-source.js';
import {resolveTarget} from './target.js';
import {grpcTransport, type TransportOptions} from './transports.js';

export interface CallRequest {
  /** HOST:PORT or a service name from the registry. */
  target: string;
  method: string;
  messages: unknown[];
  headers?: [string, string][];
  timeoutMs?: number;
  emitDefaults?: boolean;
  transport?: TransportOptions;
  /** Opens the registry when the target is a service name. */
  registry: () => Promise<Registry>;
  signal?: AbortSignal;
  onMessage?: (m: JsonValue) => void;
}

/**
 * `dial call`: resolve the target (registry or HOST:PORT), learn the schema by
 * server reflection, encode the JSON request, call, and return the outcome.
 */
export async function call(req: CallRequest): Promise<CallOutcome> {
  const target = await resolveTarget(req.target, req.registry, {protocols: ['grpc'], signal: req.signal});
  const {transport, close} = await grpcTransport(target, req.transport);
  const source = new ReflectionSource(transport, target.hostPort, undefined, req.signal);
  try {
    return await grpcCall({
      target, transport, source, method: req.method, messages: req.messages, headers: req.headers,
      timeoutMs: req.timeoutMs, emitDefaults: req.emitDefaults, signal: req.signal, onMessage: req.onMessage,
    });
  } finally {
    await source.close();
    close();
  }
}
