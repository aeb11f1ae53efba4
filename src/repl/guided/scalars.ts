import {ScalarType, type JsonValue} from '@bufbuild/protobuf';

/** A parsed answer, or why it does not fit the type (shown under the prompt). */
export type Parsed = {ok: true; value: JsonValue} | {ok: false; error: string};

const NAMES: Record<ScalarType, string> = {
  [ScalarType.DOUBLE]: 'double', [ScalarType.FLOAT]: 'float',
  [ScalarType.INT64]: 'int64', [ScalarType.UINT64]: 'uint64', [ScalarType.INT32]: 'int32',
  [ScalarType.FIXED64]: 'fixed64', [ScalarType.FIXED32]: 'fixed32', [ScalarType.BOOL]: 'bool',
  [ScalarType.STRING]: 'string', [ScalarType.BYTES]: 'bytes', [ScalarType.UINT32]: 'uint32',
  [ScalarType.SFIXED32]: 'sfixed32', [ScalarType.SFIXED64]: 'sfixed64', [ScalarType.SINT32]: 'sint32',
  [ScalarType.SINT64]: 'sint64',
};

export function scalarName(t: ScalarType): string {
  return NAMES[t];
}

const INT_RANGES: Partial<Record<ScalarType, [bigint, bigint]>> = {
  [ScalarType.INT32]: [-(2n ** 31n), 2n ** 31n - 1n],
  [ScalarType.SINT32]: [-(2n ** 31n), 2n ** 31n - 1n],
  [ScalarType.SFIXED32]: [-(2n ** 31n), 2n ** 31n - 1n],
  [ScalarType.UINT32]: [0n, 2n ** 32n - 1n],
  [ScalarType.FIXED32]: [0n, 2n ** 32n - 1n],
  [ScalarType.INT64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [ScalarType.SINT64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [ScalarType.SFIXED64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [ScalarType.UINT64]: [0n, 2n ** 64n - 1n],
  [ScalarType.FIXED64]: [0n, 2n ** 64n - 1n],
};

const IS_64 = new Set([ScalarType.INT64, ScalarType.SINT64, ScalarType.SFIXED64, ScalarType.UINT64, ScalarType.FIXED64]);
const FLOAT_MAX = 3.4028234663852886e38;

/**
 * Parses what the user typed for a scalar field into its proto3 JSON value:
 * 32-bit ints as numbers, 64-bit ints as decimal strings (JSON numbers lose
 * precision past 2^53), floats with NaN and ±Infinity, bools, and bytes as base64.
 */
export function parseScalar(type: ScalarType, input: string): Parsed {
  const text = input.trim();
  const range = INT_RANGES[type];
  if (range) {
    if (!/^[+-]?\d+$/.test(text)) return {ok: false, error: `${scalarName(type)} needs a whole number, e.g. 42`};
    const n = BigInt(text);
    if (n < range[0] || n > range[1]) return {ok: false, error: `${text} is out of range for ${scalarName(type)} (${range[0]} .. ${range[1]})`};
    return {ok: true, value: IS_64.has(type) ? n.toString() : Number(n)};
  }
  switch (type) {
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT: {
      if (/^(nan|[+-]?inf(inity)?)$/i.test(text)) {
        return {ok: true, value: /nan/i.test(text) ? 'NaN' : text.startsWith('-') ? '-Infinity' : 'Infinity'};
      }
      const v = Number(text);
      if (text === '' || !Number.isFinite(v)) return {ok: false, error: `${scalarName(type)} needs a number, e.g. 1.5, -3e8, NaN or Infinity`};
      if (type === ScalarType.FLOAT && Math.abs(v) > FLOAT_MAX) return {ok: false, error: `${text} is out of range for float`};
      return {ok: true, value: v};
    }
    case ScalarType.BOOL: {
      if (/^(true|t|yes|y|1)$/i.test(text)) return {ok: true, value: true};
      if (/^(false|f|no|n|0)$/i.test(text)) return {ok: true, value: false};
      return {ok: false, error: 'bool needs true or false'};
    }
    case ScalarType.BYTES: {
      const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.replace(/=+$/, '').length % 4 === 1) {
        return {ok: false, error: 'bytes are written in base64, e.g. aGVsbG8= for "hello"'};
      }
      return {ok: true, value: text};
    }
    default:
      return {ok: true, value: input};
  }
}
