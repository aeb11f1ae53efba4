export {defineCodec, type Codec, type BoundCodec, type CodecSchema, type JsonValue} from './types.js';
export {toJsonValue} from './json-value.js';
export {CODEC_NAMES, loadCodec, type CodecName} from './registry.js';
