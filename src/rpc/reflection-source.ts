import {createFileRegistry, fromBinary, type FileRegistry} from '@bufbuild/protobuf';
import {FileDescriptorProtoSchema, type FileDescriptorProto} from '@bufbuild/protobuf/wkt';
import {Code, ConnectError, createClient, type Transport} from '@connectrpc/connect';
import {createWritableIterable} from '@connectrpc/connect/protocol';
import {DialError, ExitCode} from '../errors/index.js';
import {ServerReflection as ReflectionV1} from '../gen/grpc/reflection/v1/reflection_pb.js';
import {ServerReflection as ReflectionV1Alpha} from '../gen/grpc/reflection/v1alpha/reflection_pb.js';
import type {DescriptorSource} from './descriptor-source.js';
import {repairFiles} from './descriptor-repair.js';
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
  private stream?: {send: (rs: ReflectionRequest[]) => Promise<ReflectionResponse[]>; close: () => void};
  /** Round trips made (for -v). */
  roundTrips = 0;
  private version: 'v1' | 'v1alpha' = 'v1';
  private readonly files = new Map<string, FileDescriptorProto>();
  private readonly symbolFiles = new Map<string, string>();
  private readonly asked = new Set<string>();

  constructor(private readonly transport: Transport, private readonly target: string, private readonly opts: {headers?: Record<string, string>; signal?: AbortSignal} = {}) {
    this.description = `server reflection at ${target}`;
  }

  private open(): NonNullable<ReflectionSource['stream']> {
    const service = this.version === 'v1' ? ReflectionV1 : ReflectionV1Alpha;
    const client = createClient(service, this.transport);
    const requests = createWritableIterable<ReflectionRequest>();
    const responses = client.serverReflectionInfo(requests as AsyncIterable<never>, {headers: this.opts.headers, signal: this.opts.signal})[Symbol.asyncIterator]();
    return {
      // Pipelined: all requests go out at once, answers come back in order (one round trip).
      send: async (rs) => {
        this.roundTrips++;
        for (const r of rs) requests.write(r).catch(() => undefined);
        const out: ReflectionResponse[] = [];
        for (let i = 0; i < rs.length; i++) {
          const next = await responses.next();
          if (next.done) throw new ConnectError('reflection stream ended early', Code.Internal);
          out.push(next.value as unknown as ReflectionResponse);
        }
        return out;
      },
      close: () => requests.close(),
    };
  }

  /** Sends requests in one round trip, opening the stream (and falling back to v1alpha) as needed. */
  private async requestMany(rs: ReflectionRequest[]): Promise<ReflectionResponse[]> {
    this.stream ??= this.open();
    try {
      return await this.stream.send(rs);
    } catch (e) {
      const code = e instanceof ConnectError ? e.code : undefined;
      if (code === Code.Unimplemented && this.version === 'v1') {
        this.stream.close();
        this.version = 'v1alpha';
        this.stream = this.open();
        try {
          return await this.stream.send(rs);
        } catch (e2) {
          throw this.mapError(e2);
        }
      }
      throw this.mapError(e);
    }
  }

  private async request(r: ReflectionRequest): Promise<ReflectionResponse> {
    return (await this.requestMany([r]))[0];
  }

  /** The reflection protocol version the server answered (after the first request). */
  get protocolVersion(): 'v1' | 'v1alpha' {
    return this.version;
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
    const wanted = symbols.filter((s) => !this.symbolFiles.has(s));
    const answers = wanted.length ? await this.requestMany(wanted.map((value) => ({messageRequest: {case: value.endsWith('.proto') ? 'fileByFilename' as const : 'fileContainingSymbol' as const, value}}))) : [];
    answers.forEach((res, i) => {
      const symbol = wanted[i];
      if (res.messageResponse.case === 'errorResponse') {
        const err = res.messageResponse.value as {errorCode: number; errorMessage: string};
        throw new DialError('SYMBOL_NOT_FOUND', `the server at ${this.target} does not know '${symbol}' (${err.errorMessage || `code ${err.errorCode}`})`, {
          hint: `list what it serves with 'dial list ${this.target}'`,
          exitCode: ExitCode.RpcBase + Code.NotFound,
        });
      }
      const names = this.addFiles(res, symbol);
      if (names[0]) this.symbolFiles.set(symbol, names[0]);
    });
    for (const s of symbols) roots.push(this.symbolFiles.get(s)!);
    await this.fetchMissingImports();
    await this.repair();
    const resolve = (name: string) => this.files.get(name) ?? WELL_KNOWN_FILES.get(name);
    try {
      return createFileRegistry(...[...new Set(roots)].map((name) => createFileRegistry(this.files.get(name)!, resolve)));
    } catch (e) {
      throw new DialError('REFLECTION_ERROR', `the descriptors from ${this.description} do not fit together: ${(e as Error).message}`, {
        hint: 'the server\'s reflection is incomplete or inconsistent; pass the schema with --proto or --protoset',
      });
    }
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
        for (const dep of fd.dependency) {
          if (this.files.has(dep)) continue;
          // Well-known types are built in: no round trip for them.
          if (WELL_KNOWN_FILES.has(dep)) this.files.set(dep, WELL_KNOWN_FILES.get(dep)!.proto);
          else missing.add(dep);
        }
      }
      if (missing.size === 0) return;
      const names = [...missing];
      const answers = await this.requestMany(names.map((value) => ({messageRequest: {case: 'fileByFilename' as const, value}})));
      for (const [i, res] of answers.entries()) {
        const name = names[i];
        if (res.messageResponse.case === 'fileDescriptorResponse') this.addFiles(res, name);
        else {
          throw new DialError('MISSING_IMPORT', `the server at ${this.target} did not send '${name}', which its schema imports`, {
            hint: 'the server\'s reflection is incomplete; pass the schema with --proto or --protoset',
          });
        }
      }
    }
  }

  /** Copes with incomplete answers: adds missing dependencies, asks for types no file defines (bounded). */
  private async repair(): Promise<void> {
    for (let round = 0; round < 8; round++) {
      const unknown = repairFiles(this.files).map((t) => t.slice(1)).filter((t) => !this.asked.has(t));
      if (unknown.length === 0) return;
      for (const t of unknown) this.asked.add(t);
      const answers = await this.requestMany(unknown.map((value) => ({messageRequest: {case: 'fileContainingSymbol' as const, value}})));
      for (const [i, res] of answers.entries()) if (res.messageResponse.case === 'fileDescriptorResponse') this.addFiles(res, unknown[i]);
      await this.fetchMissingImports();
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
