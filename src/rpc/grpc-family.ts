import {Code, ConnectError} from '@connectrpc/connect';
import {DialError, ExitCode} from '../errors/index.js';
import {formatDuration} from '../util/index.js';
import type {CallRequest} from './call.js';
import type {DescriptorSource} from './descriptor-source.js';
import {FileSource, hasSchemaFiles, type SchemaFiles} from './file-source.js';
import {grpcCall, type CallOutcome} from './grpc-call.js';
import {joinedHeaders} from './metadata.js';
import type {GrpcProtocol} from './protocol.js';
import {ReflectionSource} from './reflection-source.js';
import type {ResolvedTarget} from './target.js';
import {grpcTransport, type OwnedTransport, type TransportOptions} from './transports.js';

/** A connection (when a target is given) and the schema source for it. */
export interface SchemaSession {
  source: DescriptorSource;
  owned?: OwnedTransport;
  close(): Promise<void>;
}

/**
 * Opens what list, describe and call need: the connection to the target (when
 * there is one) and the schema source: --proto/--protoset files when given
 * (loaded while the connection opens), else server reflection over it.
 */
export async function openSchemaSession(target: ResolvedTarget | undefined, opts: {schema?: SchemaFiles; transport?: TransportOptions; headers?: [string, string][]; signal?: AbortSignal}): Promise<SchemaSession> {
  const files = hasSchemaFiles(opts.schema) ? FileSource.load(opts.schema) : undefined;
  const conn = target ? grpcTransport(target, {...opts.transport, metadata: opts.headers, signal: opts.signal}) : undefined;
  const [f, c] = await Promise.allSettled([files, conn]);
  if (f.status === 'rejected' || c.status === 'rejected') {
    if (c.status === 'fulfilled') c.value?.close();
    throw f.status === 'rejected' ? f.reason : (c as PromiseRejectedResult).reason;
  }
  const owned = c.value;
  if (f.value) return {source: f.value, owned, close: async () => owned?.close()};
  if (!owned || !target) throw new DialError('USAGE', 'no target and no schema files', {hint: 'give TARGET, or --proto/--protoset', exitCode: ExitCode.Usage});
  // Like grpcurl, -H headers go with the reflection requests too (servers may require auth for them).
  const headers = joinedHeaders(opts.headers ?? []);
  const source = new ReflectionSource(owned.reflection, target.hostPort, {headers, signal: opts.signal});
  return {
    source,
    owned,
    close: async () => {
      await source.close();
      owned.close();
    },
  };
}

/** A call in the gRPC family (gRPC, gRPC-Web, Connect): connect, learn the schema, call, all within --max-time. */
export async function callGrpcFamily(protocol: GrpcProtocol, target: ResolvedTarget, req: CallRequest & {method: string}): Promise<CallOutcome> {
  const startedAt = performance.now();
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(req.signal?.reason);
  req.signal?.addEventListener('abort', onAbort, {once: true});
  const limit = req.timeoutMs;
  const deadline = limit ? setTimeout(() => ctl.abort(new ConnectError(`--max-time ${formatDuration(limit)} ran out`, Code.DeadlineExceeded)), limit) : undefined;
  const timedOut = () => ctl.signal.aborted && ctl.signal.reason instanceof ConnectError && ctl.signal.reason.code === Code.DeadlineExceeded;
  let session: SchemaSession | undefined;
  try {
    session = await openSchemaSession(target, {schema: req.schema, transport: {...req.transport, protocol}, headers: req.headers, signal: ctl.signal});
    return await grpcCall({
      target, transport: session.owned!.transport, source: session.source, protocol, method: req.method, messages: req.messages,
      headers: req.headers, timeoutMs: limit ? Math.max(1, Math.floor(limit - (performance.now() - startedAt))) : undefined,
      emitDefaults: req.emitDefaults, signal: ctl.signal, onMessage: req.onMessage, collect: req.collect,
      connection: session.owned!.info, clock: session.owned!.clock, startedAt,
    });
  } catch (e) {
    if (timedOut() && !(e instanceof DialError && e.exitCode === ExitCode.Usage)) {
      throw new DialError('DEADLINE_EXCEEDED', `the call to ${target.hostPort} did not finish within --max-time ${formatDuration(limit!)}${session ? '' : ' (still connecting)'}`, {
        hint: 'raise --max-time, or look at where the time goes with -v',
        exitCode: ExitCode.RpcBase + Code.DeadlineExceeded,
        cause: e,
      });
    }
    throw e;
  } finally {
    clearTimeout(deadline);
    req.signal?.removeEventListener('abort', onAbort);
    await session?.close();
  }
}
