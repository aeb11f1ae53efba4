import {create, fromBinary, toBinary, type DescFile, type DescMessage} from '@bufbuild/protobuf';
import {FileDescriptorProtoSchema, FileDescriptorSetSchema} from '@bufbuild/protobuf/wkt';
import {SOURCE_INFO_SET_BASE64} from '../../gen/source-info.js';
import type * as grpc from '@grpc/grpc-js';
import {ServerReflection as V1, type ServerReflectionRequest, ServerReflectionResponseSchema} from '../../gen/grpc/reflection/v1/reflection_pb.js';
import {ServerReflection as V1Alpha} from '../../gen/grpc/reflection/v1alpha/reflection_pb.js';
import {grpcServiceDefinition} from './service-definition.js';

let commented: Map<string, Uint8Array> | undefined;

/** dial's own proto files as buf builds them, comments included (src/gen/source-info.ts), by file name. */
function filesWithComments(): Map<string, Uint8Array> {
  commented ??= new Map(fromBinary(FileDescriptorSetSchema, Buffer.from(SOURCE_INFO_SET_BASE64, 'base64')).file.map((f) => [f.name, toBinary(FileDescriptorProtoSchema, f)]));
  return commented;
}

/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha) for @grpc/grpc-js,
 * answering from compiled file descriptors: complete files with their imports
 * (well-known types included), so grpcurl, buf curl and evans can list,
 * describe and call every method.
 */
export class ReflectionIndex {
  private readonly files = new Map<string, DescFile>();
  private readonly symbols = new Map<string, DescFile>();
  private readonly extensions = new Map<string, Map<number, DescFile>>();

  constructor(files: DescFile[], private readonly serviceNames: string[]) {
    for (const f of files) this.addFile(f);
  }

  private addFile(f: DescFile): void {
    if (this.files.has(f.proto.name)) return;
    this.files.set(f.proto.name, f);
    for (const d of f.dependencies) this.addFile(d);
    const addMessage = (m: DescMessage) => {
      this.symbols.set(m.typeName, f);
      for (const n of m.nestedMessages) addMessage(n);
      for (const e of m.nestedEnums) this.symbols.set(e.typeName, f);
      for (const x of m.nestedExtensions) this.addExtension(x.extendee.typeName, x.number, x.typeName, f);
    };
    for (const m of f.messages) addMessage(m);
    for (const e of f.enums) this.symbols.set(e.typeName, f);
    for (const x of f.extensions) this.addExtension(x.extendee.typeName, x.number, x.typeName, f);
    for (const s of f.services) {
      this.symbols.set(s.typeName, f);
      for (const m of s.methods) this.symbols.set(`${s.typeName}.${m.name}`, f);
    }
  }

  private addExtension(extendee: string, num: number, name: string, f: DescFile): void {
    let byNum = this.extensions.get(extendee);
    if (!byNum) this.extensions.set(extendee, (byNum = new Map()));
    byNum.set(num, f);
    this.symbols.set(name, f);
  }

  /** The file and all its transitive imports, dependencies first. */
  private withDependencies(f: DescFile, out: DescFile[] = [], seen = new Set<string>()): DescFile[] {
    if (seen.has(f.proto.name)) return out;
    seen.add(f.proto.name);
    for (const d of f.dependencies) this.withDependencies(d, out, seen);
    out.push(f);
    return out;
  }

  private fileResponse(f: DescFile) {
    const files = this.withDependencies(f).reverse();
    const withComments = filesWithComments();
    return {case: 'fileDescriptorResponse' as const, value: {fileDescriptorProto: files.map((x) => withComments.get(x.proto.name) ?? toBinary(FileDescriptorProtoSchema, x.proto))}};
  }

  private notFound(what: string) {
    return {case: 'errorResponse' as const, value: {errorCode: 5, errorMessage: `${what} not found`}};
  }

  /** Answers one reflection request (as a v1 response; pass v1alpha's schema for the old service). */
  answer(req: ServerReflectionRequest, schema: DescMessage = ServerReflectionResponseSchema) {
    const r = req.messageRequest;
    let messageResponse;
    switch (r.case) {
      case 'listServices':
        messageResponse = {case: 'listServicesResponse' as const, value: {service: this.serviceNames.map((name) => ({name}))}};
        break;
      case 'fileByFilename': {
        const f = this.files.get(r.value);
        messageResponse = f ? this.fileResponse(f) : this.notFound(`file ${r.value}`);
        break;
      }
      case 'fileContainingSymbol': {
        const f = this.symbols.get(r.value.replace(/^\./, ''));
        messageResponse = f ? this.fileResponse(f) : this.notFound(`symbol ${r.value}`);
        break;
      }
      case 'fileContainingExtension': {
        const f = this.extensions.get(r.value.containingType)?.get(r.value.extensionNumber);
        messageResponse = f ? this.fileResponse(f) : this.notFound(`extension ${r.value.extensionNumber} of ${r.value.containingType}`);
        break;
      }
      case 'allExtensionNumbersOfType': {
        const nums = [...(this.extensions.get(r.value)?.keys() ?? [])].sort((a, b) => a - b);
        messageResponse = this.symbols.has(r.value)
          ? {case: 'allExtensionNumbersResponse' as const, value: {baseTypeName: r.value, extensionNumber: nums}}
          : this.notFound(`type ${r.value}`);
        break;
      }
      default:
        messageResponse = {case: 'errorResponse' as const, value: {errorCode: 3, errorMessage: 'empty or unknown reflection request'}};
    }
    return create(schema as typeof ServerReflectionResponseSchema, {validHost: req.host, originalRequest: create(schema.field.originalRequest.message! as never, req as never), messageResponse} as never);
  }
}

/**
 * The reflection index of a server offering the services in `files` (and
 * reflection v1 and v1alpha themselves, so they list too).
 */
export function reflectionIndex(files: DescFile[]): ReflectionIndex {
  const serviceNames = [...new Set(files.flatMap((f) => f.services.map((s) => s.typeName)).concat(V1.typeName, V1Alpha.typeName))].sort();
  return new ReflectionIndex([...files, V1.file, V1Alpha.file], serviceNames);
}

/**
 * Adds v1 and v1alpha reflection to a grpc-js server. `files` are the
 * descriptors of every service the server offers (health included, so it lists too).
 */
export function addReflection(server: grpc.Server, files: DescFile[]): ReflectionIndex {
  const index = reflectionIndex(files);
  for (const svc of [V1, V1Alpha]) {
    server.addService(grpcServiceDefinition(svc), {
      serverReflectionInfo: (call: grpc.ServerDuplexStream<ServerReflectionRequest, unknown>) => {
        call.on('data', (req: ServerReflectionRequest) => call.write(index.answer(req, svc.method.serverReflectionInfo.output)));
        call.on('end', () => call.end());
        call.on('error', () => undefined);
      },
    });
  }
  return index;
}
