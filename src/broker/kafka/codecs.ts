import {createRequire} from 'node:module';
import compression from 'kafkajs/src/protocol/message/compression/index.js';

/** Decompresses the records of a batch, by the codec id of its attributes (1 gzip, 2 snappy, 3 lz4, 4 zstd). */
export type Decompress = (data: Buffer) => Promise<Buffer>;

const require = createRequire(import.meta.url);

/** xerial's framing (Kafka's Java client): magic, version, compat, then [int32 length][raw snappy block]... */
const XERIAL = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);

function snappy(): Decompress {
  const {uncompress} = require('snappy') as {uncompress(b: Buffer): Promise<Buffer | string>};
  const raw = async (b: Buffer) => Buffer.from((await uncompress(b)) as Buffer);
  return async (data) => {
    if (data.length < 16 || !data.subarray(0, 8).equals(XERIAL)) return raw(data);
    const blocks: Buffer[] = [];
    for (let at = 16; at < data.length;) {
      const n = data.readInt32BE(at);
      if (n < 0 || at + 4 + n > data.length) throw new Error('xerial snappy block runs past the batch');
      blocks.push(await raw(data.subarray(at + 4, at + 4 + n)));
      at += 4 + n;
    }
    return Buffer.concat(blocks);
  };
}

function lz4(): Decompress {
  const {decompressFrame} = require('lz4-napi') as {decompressFrame(b: Buffer): Promise<Buffer>};
  return (data) => decompressFrame(data);
}

const loaders: Record<number, () => Decompress> = {
  1: () => (b) => compression.lookupCodec(1)!.decompress(b),
  2: snappy,
  3: lz4,
};
const loaded = new Map<number, Decompress | null>();

/**
 * The decompressor for a codec id: gzip is kafkajs's (node's zlib), snappy
 * and lz4 (frame format, as Kafka uses) the napi-rs bindings `snappy` and
 * `lz4-napi`; null for zstd (no binding that installs without a download on
 * Node 20, whose zlib has no zstd) or a platform without their prebuilt binaries.
 */
export function decompressor(codec: number): Decompress | null {
  if (!loaded.has(codec)) {
    try {
      loaded.set(codec, loaders[codec]?.() ?? null);
    } catch {
      loaded.set(codec, null);
    }
  }
  return loaded.get(codec) ?? null;
}
