import type {JsonValue} from '@bufbuild/protobuf';

export type {JsonValue};

/** A schema file and the type in it that a message is (`--schema FILE --type NAME`). */
export interface CodecSchema {
  file: string;
  type?: string;
  /** protobuf: every .proto file (default: [file] when it is one). */
  protoFiles?: string[];
  /** -I folders: protobuf .proto imports (default: the file's folder and those above it); Thrift includes (searched after the file's folder). */
  importPaths?: string[];
  /** protobuf: descriptor sets (--protoset). */
  protosets?: string[];
}

/** A codec bound to one schema type: encode and decode without parsing the schema again. */
export interface BoundCodec {
  /** The fully qualified type the codec encodes (when it has a schema). */
  type?: string;
  encode(json: unknown): Uint8Array;
  decode(bytes: Uint8Array): JsonValue;
}

/**
 * A wire format: JSON in, bytes out, and back. Schemaless codecs (json,
 * msgpack, xml-rpc) ignore the schema; the others need a schema file of one
 * of `schemaExtensions` and a type in it.
 */
export interface Codec {
  readonly name: string;
  readonly mimeType: string;
  readonly description: string;
  /** Schema file extensions this codec reads; empty for schemaless codecs. */
  readonly schemaExtensions: readonly string[];
  /** Parses the schema (once) and returns an encoder/decoder for its type. */
  bind(schema?: CodecSchema): Promise<BoundCodec>;
  encode(json: unknown, schema?: CodecSchema): Promise<Uint8Array>;
  decode(bytes: Uint8Array, schema?: CodecSchema): Promise<JsonValue>;
}

/** Builds a Codec from its bind(); encode/decode bind and call. */
export function defineCodec(spec: Omit<Codec, 'encode' | 'decode'>): Codec {
  return {
    ...spec,
    async encode(json, schema) {
      return (await spec.bind(schema)).encode(json);
    },
    async decode(bytes, schema) {
      return (await spec.bind(schema)).decode(bytes);
    },
  };
}
