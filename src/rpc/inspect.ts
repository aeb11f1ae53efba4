import {toJson, type DescService, type FileRegistry, type JsonValue} from '@bufbuild/protobuf';
import {
  DescriptorProtoSchema, EnumDescriptorProtoSchema, EnumValueDescriptorProtoSchema, FieldDescriptorProtoSchema,
  FileDescriptorProtoSchema, MethodDescriptorProtoSchema, ServiceDescriptorProtoSchema,
} from '@bufbuild/protobuf/wkt';
import {DialError, ExitCode} from '../errors/index.js';
import type {Registry} from '../registry/index.js';
import {didYouMean} from '../util/index.js';
import type {DescriptorSource} from './descriptor-source.js';
import type {SchemaFiles} from './file-source.js';
import {openSchemaSession} from './grpc-family.js';
import {protoText, kindName, type Describable} from './proto-text.js';
import {findByShortName, lookupSymbol, symbolNotFound} from './symbols.js';
import {targetTransport} from './cluster-tls.js';
import {resolveTarget, type ResolvedTarget} from './target.js';
import {connectionError} from './transport-errors.js';
import {refuseThrift} from './schema-refusal.js';
import {grpcUrlMethod} from './url-call.js';
import type {TransportOptions} from './transports.js';

/** What list and describe need: a target (or only schema files) and how to reach it. */
export interface InspectRequest {
  /** Service name, HOST:PORT or unix:PATH; optional when schema files are given. */
  target?: string;
  schema?: SchemaFiles;
  transport?: TransportOptions;
  unix?: string;
  headers?: [string, string][];
  registry: () => Promise<Registry>;
  signal?: AbortSignal;
}

export interface MethodInfo {
  name: string;
  /** pkg.Service/Method, as dial call takes it. */
  fullName: string;
  kind: 'unary' | 'server_streaming' | 'client_streaming' | 'bidi_streaming';
  input: string;
  output: string;
}

/** `dial list`: the services of a target, or the methods of one service. */
export interface ListResult {
  target?: string;
  schema: string;
  services?: string[];
  service?: string;
  methods?: MethodInfo[];
}

/** `dial describe`: one symbol as proto text and as its descriptor. */
export interface Description {
  symbol: string;
  kind: string;
  file: string;
  /** Proto source text of the symbol. */
  text: string;
  /** The descriptor (FileDescriptorProto, DescriptorProto, ServiceDescriptorProto, ...) as JSON. */
  descriptor: JsonValue;
}

async function withSchema<T>(req: InspectRequest, fn: (source: DescriptorSource, where: string, target?: ResolvedTarget) => Promise<T>): Promise<T> {
  refuseThrift(req.schema);
  // buf curl's form (https://host/pkg.Service/Method): reflection at the base path before the method.
  const inUrl = grpcUrlMethod(req.target);
  const target = req.target !== undefined || req.unix !== undefined
    ? await resolveTarget(req.target ?? 'localhost', req.registry, {protocols: ['grpc'], signal: req.signal, unix: req.unix, ...(inUrl ? {path: inUrl.base} : {})})
    : undefined;
  const {transport, refusal} = targetTransport(target, req.transport, req.signal);
  const session = await openSchemaSession(target, {schema: req.schema, transport, headers: req.headers, signal: req.signal}).catch((e: unknown) => {
    throw refusal(e) || e;
  });
  try {
    return await fn(session.source, target?.via?.service ?? target?.hostPort ?? session.source.description, target);
  } catch (e) {
    throw refusal(e) || (target && connectionError(e, target)) || e;
  } finally {
    await session.close();
  }
}

function methodInfo(svc: DescService): MethodInfo[] {
  return svc.methods.map((m) => ({
    name: m.name, fullName: `${svc.typeName}/${m.name}`, kind: m.methodKind as MethodInfo['kind'], input: m.input.typeName, output: m.output.typeName,
  }));
}

/** Finds a service by full or short name among a source's services. */
async function findService(source: DescriptorSource, name: string, where: string): Promise<{service: DescService; registry: FileRegistry}> {
  const services = await source.listServices();
  const matches = services.filter((s) => s === name || s.endsWith(`.${name}`));
  if (matches.length !== 1) {
    throw new DialError(matches.length ? 'AMBIGUOUS_SERVICE' : 'SERVICE_NOT_FOUND', matches.length
      ? `'${name}' matches several services at ${where}: ${matches.join(', ')}`
      : `${where} has no service '${name}'${didYouMean(name, services)}`, {
      hint: matches.length ? 'use the fully-qualified name' : `its services: ${services.join(', ') || '(none)'}`,
      exitCode: matches.length ? ExitCode.Usage : ExitCode.RpcBase + 5,
    });
  }
  const registry = await source.registryFor([matches[0]]);
  return {service: registry.getService(matches[0])!, registry};
}

/** Lists the services of a target (server reflection or schema files), or the methods of one. */
export async function listSchema(request: InspectRequest & {service?: string}): Promise<ListResult> {
  // A URL naming a method lists the methods of its service.
  const req = {...request, service: request.service ?? grpcUrlMethod(request.target)?.method.split('/')[0]};
  return withSchema(req, async (source, where, target) => {
    const base = {...(target ? {target: target.hostPort} : {}), schema: source.description};
    if (!req.service) return {...base, services: await source.listServices()};
    const {service} = await findService(source, req.service, where);
    return {...base, service: service.typeName, methods: methodInfo(service)};
  });
}

const SCHEMAS = {
  file: FileDescriptorProtoSchema, service: ServiceDescriptorProtoSchema, rpc: MethodDescriptorProtoSchema, message: DescriptorProtoSchema,
  enum: EnumDescriptorProtoSchema, field: FieldDescriptorProtoSchema, extension: FieldDescriptorProtoSchema, enum_value: EnumValueDescriptorProtoSchema,
} as const;

function fileName(d: Describable): string {
  if (d.kind === 'file') return d.proto.name;
  if (d.kind === 'enum_value') return d.parent.file.proto.name;
  if (d.kind === 'field' || d.kind === 'rpc') return d.parent.file.proto.name;
  return d.file.proto.name;
}

function symbolName(d: Describable): string {
  if (d.kind === 'file') return d.proto.name;
  if (d.kind === 'rpc') return `${d.parent.typeName}.${d.name}`;
  if (d.kind === 'enum_value') return `${d.parent.typeName}.${d.name}`;
  if (d.kind === 'field') return `${d.parent.typeName}.${d.name}`;
  return d.typeName;
}

function describeOne(d: Describable): Description {
  return {
    symbol: symbolName(d),
    kind: kindName(d).replace(/^an? /, ''),
    file: fileName(d),
    text: protoText(d),
    descriptor: toJson(SCHEMAS[d.kind] as typeof DescriptorProtoSchema, d.proto as never),
  };
}

/**
 * Describes a symbol (service, method, message, enum, field, enum value, or a
 * file name) as proto text; short names ("Greeter", "HelloRequest") are
 * looked up among the target's services. No symbol: every service.
 */
export async function describeSchema(request: InspectRequest & {symbol?: string}): Promise<Description[]> {
  // A URL naming a method (buf curl's form) describes that method.
  const req = {...request, symbol: request.symbol ?? grpcUrlMethod(request.target)?.method};
  return withSchema(req, async (source, where) => {
    if (!req.symbol) {
      const services = await source.listServices();
      const registry = await source.registryFor(services);
      return services.map((s) => describeOne(registry.getService(s)!));
    }
    // A file name (helloworld/helloworld.proto) keeps its slashes; pkg.Service/Method is pkg.Service.Method.
    const bare = req.symbol.replace(/^\./, '');
    const symbol = bare.endsWith('.proto') ? bare : bare.replace('/', '.');
    if (symbol.includes('.') || symbol.endsWith('.proto')) {
      const root = symbol.endsWith('.proto') ? undefined : lookupPrefix(symbol);
      for (const ask of [symbol, root]) {
        if (!ask) continue;
        const registry = await source.registryFor([ask]).catch((e: unknown) => {
          if (e instanceof DialError && e.code === 'SYMBOL_NOT_FOUND') return undefined;
          throw e;
        });
        const found = registry && lookupSymbol(registry, symbol);
        if (found) return [describeOne(found)];
      }
    }
    const services = await source.listServices();
    const registry = await source.registryFor(services);
    const exact = lookupSymbol(registry, symbol);
    if (exact) return [describeOne(exact)];
    const matches = findByShortName(registry, symbol);
    if (matches.length === 1) return [describeOne(lookupSymbol(registry, matches[0])!)];
    if (matches.length > 1) {
      throw new DialError('AMBIGUOUS_SYMBOL', `'${req.symbol}' matches several symbols at ${where}: ${matches.join(', ')}`, {hint: 'use the fully-qualified name', exitCode: ExitCode.Usage});
    }
    throw symbolNotFound(req.symbol, where, registry);
  });
}

/** For pkg.Type.field or pkg.Service.Method: the enclosing symbol to ask reflection for. */
function lookupPrefix(symbol: string): string | undefined {
  const i = symbol.lastIndexOf('.');
  return i > 0 ? symbol.slice(0, i) : undefined;
}
