import {DialError, ExitCode, usageError} from '../../errors/index.js';
import type {ResolvedTarget} from '../target.js';
import {isLocal, type TransportOptions} from '../transports.js';
import {THRIFT_PROTOCOLS, THRIFT_TRANSPORTS, type ThriftProtocolName, type ThriftTransportName} from './names.js';
import type {ThriftFunction} from './schema.js';

/** The Thrift flags of `dial call`: --schema, -I, --thrift-transport, --thrift-protocol. */
export interface ThriftCallOptions {
  /** FILE.thrift (default: the instance's registry metadata thrift_idl). */
  schema?: string;
  importPaths?: string[];
  transport?: string;
  protocol?: string;
}

export function pickName<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], from: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toLowerCase() as T;
  if (!allowed.includes(v)) {
    throw new DialError('USAGE', `${from} '${value}' is not a Thrift ${flag}`, {hint: `use one of ${allowed.join(', ')}`, exitCode: from.startsWith('--') ? ExitCode.Usage : ExitCode.Failed});
  }
  return v;
}

/** The JSON of -d as the `_args` struct: an object of the arguments by name, or, for a function of one struct argument, that struct's fields. */
export function argsJson(fn: ThriftFunction, messages: unknown[]): unknown {
  if (messages.length > 1) throw usageError(`-d holds ${messages.length} JSON values; a Thrift call takes one object of arguments`, `e.g. -d '{"${fn.args.fields[0]?.name ?? 'arg'}": ...}'`);
  const v = messages[0] ?? {};
  const only = fn.args.fields.length === 1 ? fn.args.fields[0] : undefined;
  if (only?.type.kind === 'struct' && typeof v === 'object' && v !== null && !Array.isArray(v) && !(only.name in v)) {
    const fields = new Set(only.type.struct().fields.map((f) => f.name));
    const keys = Object.keys(v);
    if (keys.length > 0 && keys.every((k) => fields.has(k))) return {[only.name]: v};
  }
  return v;
}

/**
 * The transport, protocol and HTTP path of a call: the flags, else the
 * instance's registry metadata (thrift_transport, thrift_protocol,
 * thrift_path or path), else framed + binary; a URL target means HTTP.
 */
export function thriftStack(opts: ThriftCallOptions, meta: Record<string, string>, instance: string | undefined, url?: {text: string; path: string}): {transport: ThriftTransportName; protocol: ThriftProtocolName; path?: string} {
  const where = instance ? `metadata of instance ${instance}:` : '';
  const transport = pickName('transport', opts.transport, THRIFT_TRANSPORTS, '--thrift-transport')
    ?? (url ? 'http' : pickName('transport', meta.thrift_transport, THRIFT_TRANSPORTS, `${where} thrift_transport`)) ?? 'framed';
  const protocol = pickName('protocol', opts.protocol, THRIFT_PROTOCOLS, '--thrift-protocol') ?? pickName('protocol', meta.thrift_protocol, THRIFT_PROTOCOLS, `${where} thrift_protocol`) ?? 'binary';
  if (url && transport !== 'http') throw usageError(`a URL target (${url.text}) is called over HTTP, not the ${transport} transport`, `leave out --thrift-transport, or give HOST:PORT for a ${transport} socket`);
  const path = url?.path ?? (transport === 'http' ? meta.thrift_path ?? meta.path ?? '/' : undefined);
  return {transport, protocol, ...(path !== undefined ? {path} : {})};
}

/** TLS as for gRPC: --tls or TLS flags, else plaintext to loopback addresses and unix sockets, TLS elsewhere; --plaintext forces it off. */
export function wantsTls(target: ResolvedTarget, t: TransportOptions | undefined): boolean {
  return t?.security === 'tls' || (t?.security !== 'plaintext' && (t?.tls !== undefined || !isLocal(target)));
}
