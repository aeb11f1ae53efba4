import type {FileRegistry} from '@bufbuild/protobuf';

/**
 * Where protobuf schemas come from: server reflection, .proto files, or a
 * protoset. Every source yields a FileRegistry of @bufbuild/protobuf, which
 * the call engine uses for proto3 JSON <-> binary.
 */
export interface DescriptorSource {
  /** A short description for messages ("server reflection at 127.0.0.1:50051"). */
  readonly description: string;
  /** Fully-qualified names of the services the source knows. */
  listServices(): Promise<string[]>;
  /** A registry holding `symbols` (services, messages, ...) and everything they depend on. */
  registryFor(symbols: string[]): Promise<FileRegistry>;
  close(): Promise<void>;
}
