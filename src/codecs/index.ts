export {defineCodec, type Codec, type BoundCodec, type CodecSchema, type JsonValue} from './types.js';
export {toJsonValue, setJsonKey} from './json-value.js';
export {CODEC_NAMES, isCodecName, loadCodec, type CodecName} from './registry.js';
export {BYTES_FORMATS, formatBytes, parseBytes, type BytesFormat} from './bytes-format.js';
export {compareCodecs, type CompareResult, type CompareRow} from './compare.js';
