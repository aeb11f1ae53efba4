import {createFileRegistry, fromBinary, type FileRegistry} from '@bufbuild/protobuf';
import {FileDescriptorProtoSchema, type FileDescriptorProto} from '@bufbuild/protobuf/wkt';
import {Code, ConnectError, createClient, type Transport} from '@connectrpc/connect';
import {createWritableIterable} from '@connectrpc/connect/protocol';
import {DialError, ExitCode} from '../errors/index.js';
import {ServerReflection as ReflectionV1} from '../gen/grpc/reflection/v1/reflection_pb.js';
import {ServerReflection as ReflectionV1Alpha} from '../gen/grpc/reflection/v1alpha/reflection_pb.js';
import type {DescriptorSource} from './descriptor-source.js';
import {WELL_KNOWN_FILES} from './well-known-files.js';

type ReflectionRequest = {host?: string; messageRequest: {case: 'listServices' | 'fileContainingSymbol' | 'fileByFilename'; value: string}};
type ReflectionResponse = {
  messageResponse:
    | {case: 'listServicesResponse'; value: {service: {name: string}[]}}
    | {case: 'fileDescriptorResponse'; value: {fileDescriptorProto: Uint8Array[]}}
    | {case: 'errorResponse'; value: {errorCode: number; errorMessage: string}}
    | {case: undefined | string; value?: unknown};
};

/**
 * Schemas from gRPC server reflection: grpc.reflection.v1, falling back to
 * v1alpha for older servers. One bidi stream per source, requests in lockstep.
 * Missing imports are fetched by file name; well-known types the server does
 * not serve come from the built-in copies.
 */
export class ReflectionSource implements DescriptorSource {
  readonly description: string;
  private stream?: {send: (r: ReflectionRequest) => Promise<ReflectionResponse>; close: () => void};
  private version: 'v1' | 'v1alpha' = 'v1';
  private readonly files = new Map<string, FileDescriptorProto>();

  constructor(private readonly transport: Transport, private readonly target: string, private readonly headers?: Record<string, string>, private readonly signal?: AbortSignal) {
    this.description = `server reflection at ${target}`;
  }

  private open(): NonNullable<ReflectionSource['stream']> {
    const service = this.version === 'v1' ? ReflectionV1 : ReflectionV1Alpha;
    const client = createClient(service, this.transport);
    const requests = createWritableIterable<ReflectionRequest>();
    const responses = client.serverReflectionInfo(requests as AsyncIterable<never>, {headers: this.headers, signal: this.signal})[Symbol.asyncIterator]();
    return {
      send: async (r) => {
        requests.write(r).catch(() => undefined);
        const next = await responses.next();
        if (next.done) throw new ConnectError('reflection stream ended early', Code.Internal);
        return next.value as unknown as ReflectionResponse;
      },
      close: () => requests.close(),
    };
  }

  /** Sends one request, opening the stream (and falling back to v1alpha) as needed. */
  private async request(r: ReflectionRequest): Promise<ReflectionResponse> {
    this.stream ??= this.open();
    try {
      return await this.stream.send(r);
    } catch (e) {
      const code = e instanceof ConnectError ? e.code : undefined;
      if (code === Code.Unimplemented && this.version === 'v1') {
        this.stream.close();
        this.version = 'v1alpha';
        this.stream = this.open();
        try {
          return await this.stream.send(r);
        } catch (e2) {
          throw this.mapError(e2);
        }
      }
      throw this.mapError(e);
    }
  }

  private mapError(e: unknown): unknown {
    if (e instanceof ConnectError && e.code === Code.Unimplemented) {
      return new DialError('NO_REFLECTION', `the server at ${this.target} does not support server reflection`, {
        hint: 'pass the schema with --proto FILE (and --import-path DIR) or --protoset FILE',
        exitCode: ExitCode.RpcBase + Code.Unimplemented,
      });
    }
    return e;
  }

  async listServices(): Promise<string[]> {
    const res = await this.request({messageRequest: {case: 'listServices', value: '*'}});
    const m = res.messageResponse;
    if (m.case === 'listServicesResponse') return (m.value as {service: {name: string}[]}).service.map((s) => s.name).sort();
    throw this.unexpected(res, 'list services');
  }

  async registryFor(symbols: string[]): Promise<FileRegistry> {
    const roots: string[] = [];
    for (const symbol of symbols) {
      const res = await this.request({messageRequest: {case: 'fileContainingSymbol', value: symbol}});
      if (res.messageResponse.case === 'errorResponse') {
        const err = res.messageResponse.value as {errorCode: number; errorMessage: string};
        throw new DialError('SYMBOL_NOT_FOUND', `the server at ${this.target} does not know '${symbol}' (${err.errorMessage || `code ${err.errorCode}`})`, {
          hint: `list what it serves with 'dial list ${this.target}'`,
          exitCode: ExitCode.RpcBase + Code.NotFound,
        });
      }
      const names = this.addFiles(res, symbol);
      if (names[0]) roots.push(names[0]);
    }
    await this.fetchMissingImports();
    const resolve = (name: string) => this.files.get(name) ?? WELL_KNOWN_FILES.get(name);
    const registries = roots.map((name) => createFileRegistry(this.files.get(name)!, resolve));
    return createFileRegistry(...registries);
  }

  private addFiles(res: ReflectionResponse, what: string): string[] {
    if (res.messageResponse.case !== 'fileDescriptorResponse') throw this.unexpected(res, what);
    const names: string[] = [];
    for (const bytes of (res.messageResponse.value as {fileDescriptorProto: Uint8Array[]}).fileDescriptorProto) {
      const fd = fromBinary(FileDescriptorProtoSchema, bytes);
      if (!this.files.has(fd.name)) this.files.set(fd.name, fd);
      names.push(fd.name);
    }
    return names;
  }

  private async fetchMissingImports(): Promise<void> {
    for (let round = 0; round < 64; round++) {
      const missing = new Set<string>();
      for (const fd of this.files.values()) {
        for (const dep of fd.dependency) if (!this.files.has(dep)) missing.add(dep);
      }
      if (missing.size === 0) return;
      for (const name of missing) {
        const res = await this.request({messageRequest: {case: 'fileByFilename', value: name}});
        if (res.messageResponse.case === 'fileDescriptorResponse') this.addFiles(res, name);
        else if (WELL_KNOWN_FILES.has(name)) this.files.set(name, WELL_KNOWN_FILES.get(name)!.proto);
        else {
          throw new DialError('MISSING_IMPORT', `the server at ${this.target} did not send '${name}', which its schema imports`, {
            hint: 'the server\'s reflection is incomplete; pass the schema with --proto or --protoset',
          });
        }
      }
    }
  }

  private unexpected(res: ReflectionResponse, what: string): DialError {
    const m = res.messageResponse;
    const detail = m.case === 'errorResponse' ? (m.value as {errorMessage: string}).errorMessage : `unexpected ${m.case ?? 'empty'} response`;
    return new DialError('REFLECTION_ERROR', `server reflection at ${this.target} failed to ${what}: ${detail}`);
  }

  async close(): Promise<void> {
    this.stream?.close();
  }
}
