import type {JsonValue} from '@bufbuild/protobuf';

/**
 * Turns a decoded value (from msgpack, thrift, avro, ...) into plain JSON:
 * bytes become base64 strings, 64-bit integers decimal strings (numbers when
 * they are safe), dates ISO strings, maps and sets objects and arrays.
 */
export function toJsonValue(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'bigint':
      return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    case 'object':
      break;
    default:
      return String(v);
  }
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v instanceof Set) return [...v].map(toJsonValue);
  const out: Record<string, JsonValue> = {};
  const entries = v instanceof Map ? [...v].map(([k, val]) => [typeof k === 'string' ? k : JSON.stringify(toJsonValue(k)), val]) : Object.entries(v);
  for (const [k, val] of entries) if (val !== undefined) setJsonKey(out, k, toJsonValue(val));
  return out;
}

/** Sets a key on a plain object, also one named __proto__ (decoded data must not change prototypes). */
export function setJsonKey(obj: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(obj, key, {value, enumerable: true, writable: true, configurable: true});
}
