import {usageError} from '../errors/index.js';
import {didYouMean} from '../util/index.js';
import type {Codec} from './types.js';

/** Every codec, by name; each module is imported only when used. */
const LOADERS = {
  protobuf: async () => (await import('./protobuf.js')).protobufCodec,
  json: async () => (await import('./json.js')).jsonCodec,
  msgpack: async () => (await import('./msgpack.js')).msgpackCodec,
  'thrift-binary': async () => (await import('./thrift.js')).thriftBinaryCodec,
  'thrift-compact': async () => (await import('./thrift.js')).thriftCompactCodec,
  avro: async () => (await import('./avro.js')).avroCodec,
  'xml-rpc': async () => (await import('./xml-rpc.js')).xmlRpcCodec,
  java: async () => (await import('./java.js')).javaCodec,
} satisfies Record<string, () => Promise<Codec>>;

export type CodecName = keyof typeof LOADERS;
export const CODEC_NAMES = Object.keys(LOADERS) as CodecName[];

export function isCodecName(name: string): name is CodecName {
  return Object.hasOwn(LOADERS, name);
}

/** The codec called `name`; a usage error (with a suggestion) for an unknown one. */
export async function loadCodec(name: string): Promise<Codec> {
  if (!isCodecName(name)) {
    throw usageError(`unknown codec '${name}'${didYouMean(name, CODEC_NAMES)}`, `codecs: ${CODEC_NAMES.join(', ')}`);
  }
  return LOADERS[name]();
}
