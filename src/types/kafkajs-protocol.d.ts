// kafkajs's wire-format modules (plain CommonJS; its index types only the client).
declare module 'kafkajs/src/protocol/decoder.js' {
  interface Int64 {toString(): string; toNumber(): number}
  class Decoder {
    constructor(buffer: Buffer);
    buffer: Buffer;
    offset: number;
    readInt8(): number;
    readInt16(): number;
    readInt32(): number;
    readInt64(): Int64;
    readBoolean(): boolean;
    readString(): string | null;
    readBytes(length?: number): Buffer | null;
    readVarInt(): number;
    readVarLong(): Int64;
    readVarIntBytes(): Buffer | null;
    readVarIntString(): string | null;
    readArray<T>(reader: (d: Decoder) => T): T[];
    readVarIntArray<T>(reader: (d: Decoder) => T): T[];
    readAll(): Buffer;
    canReadBytes(length: number): boolean;
    slice(size: number): Decoder;
    forward(size: number): void;
  }
  export default Decoder;
}

declare module 'kafkajs/src/protocol/encoder.js' {
  class Encoder {
    constructor(initialSize?: number);
    readonly buffer: Buffer;
    writeInt8(v: number): this;
    writeInt16(v: number): this;
    writeInt32(v: number): this;
    writeUInt32(v: number): this;
    writeInt64(v: number | string | bigint): this;
    writeBoolean(v: boolean): this;
    writeString(v: string | null): this;
    writeBytes(v: Buffer | string | null): this;
    writeVarInt(v: number): this;
    writeVarLong(v: number): this;
    writeVarIntBytes(v: Buffer | string | null): this;
    writeVarIntString(v: string | null): this;
    writeBuffer(v: Buffer): this;
    writeEncoder(v: Encoder): this;
    size(): number;
    static sizeOfVarInt(v: number): number;
  }
  export default Encoder;
}

declare module 'kafkajs/src/protocol/recordBatch/crc32C/index.js' {
  function crc32C(buffer: Buffer): number;
  export default crc32C;
}

declare module 'kafkajs/src/protocol/message/compression/index.js' {
  interface Codec {compress(encoder: {buffer: Buffer}): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer>}
  export const Types: {None: 0; GZIP: 1; Snappy: 2; LZ4: 3; ZSTD: 4};
  export const Codecs: Record<number, () => Codec>;
  export function lookupCodec(type: number): Codec | null;
  const compression: {Types: typeof Types; Codecs: typeof Codecs; lookupCodec: typeof lookupCodec};
  export default compression;
}

declare module 'kafkajs/src/protocol/error.js' {
  export const errorCodes: {type: string; code: number; retriable: boolean; message: string}[];
}
