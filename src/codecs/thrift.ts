import Int64 from 'node-int64';
import thrift from 'thrift';
import {DialError, ExitCode} from '../errors/index.js';
import {loadThriftIdl, type ThriftStruct, type ThriftType} from './thrift-idl.js';
import {defineCodec, type Codec, type CodecSchema, type JsonValue} from './types.js';

const T = thrift.Thrift.Type;
export type Protocol = InstanceType<typeof thrift.TBinaryProtocol>;

const WIRE: Record<ThriftType['kind'], number> = {
  bool: T.BOOL, byte: T.BYTE, i16: T.I16, i32: T.I32, i64: T.I64, double: T.DOUBLE, string: T.STRING, binary: T.STRING,
  list: T.LIST, set: T.SET, map: T.MAP, enum: T.I32, struct: T.STRUCT,
};

function bad(path: string, message: string): DialError {
  return new DialError('BAD_REQUEST_DATA', `${path}: ${message}`, {hint: 'the JSON does not fit the Thrift type', exitCode: ExitCode.Usage});
}

function int(v: unknown, path: string, bits: number): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n >= 2 ** (bits - 1) || n < -(2 ** (bits - 1))) throw bad(path, `${JSON.stringify(v)} is not an i${bits}`);
  return n;
}

function i64(v: unknown, path: string): Int64 {
  let big: bigint;
  try {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new Error('unsafe');
    big = BigInt(v as string | number);
  } catch {
    throw bad(path, `${JSON.stringify(v)} is not an i64 (use a string for values beyond 2^53)`);
  }
  if (big >= 2n ** 63n || big < -(2n ** 63n)) throw bad(path, `${v} is out of the i64 range`);
  const buf = Buffer.alloc(8);
  buf.writeBigInt64BE(big);
  return new Int64(buf);
}

function mapKey(type: ThriftType, key: string, path: string): unknown {
  if (type.kind === 'string' || type.kind === 'binary' || type.kind === 'enum') return key;
  if (type.kind === 'bool') return key === 'true';
  if (type.kind === 'double') return Number(key);
  if (['byte', 'i16', 'i32', 'i64'].includes(type.kind)) return key;
  throw bad(path, `map keys of type ${type.kind} are written as [[key, value], ...]`);
}

function write(p: Protocol, type: ThriftType, v: unknown, path: string): void {
  switch (type.kind) {
    case 'bool':
      if (typeof v !== 'boolean') throw bad(path, `${JSON.stringify(v)} is not a bool`);
      return p.writeBool(v);
    case 'byte': return p.writeByte(int(v, path, 8));
    case 'i16': return p.writeI16(int(v, path, 16));
    case 'i32': return p.writeI32(int(v, path, 32));
    case 'i64': return p.writeI64(i64(v, path));
    case 'double':
      if (typeof v !== 'number') throw bad(path, `${JSON.stringify(v)} is not a double`);
      return p.writeDouble(v);
    case 'string':
      if (typeof v !== 'string') throw bad(path, `${JSON.stringify(v)} is not a string`);
      return p.writeString(v);
    case 'binary':
      if (typeof v !== 'string') throw bad(path, 'binary is a base64 string');
      return p.writeBinary(Buffer.from(v, 'base64'));
    case 'enum': {
      const n = typeof v === 'string' ? type.byName.get(v) : typeof v === 'number' && type.byValue.has(v) ? v : undefined;
      if (n === undefined) throw bad(path, `${JSON.stringify(v)} is not a value of enum ${type.name} (${[...type.byName.keys()].join(', ')})`);
      return p.writeI32(n);
    }
    case 'list':
    case 'set': {
      if (!Array.isArray(v)) throw bad(path, `a ${type.kind} is a JSON array`);
      if (type.kind === 'list') p.writeListBegin(WIRE[type.elem.kind], v.length);
      else p.writeSetBegin(WIRE[type.elem.kind], v.length);
      v.forEach((x, i) => write(p, type.elem, x, `${path}[${i}]`));
      return type.kind === 'list' ? p.writeListEnd() : p.writeSetEnd();
    }
    case 'map': {
      const entries: [unknown, unknown][] = Array.isArray(v) ? (v as [unknown, unknown][]) : typeof v === 'object' && v !== null ? Object.entries(v).map(([k, x]) => [mapKey(type.key, k, path), x]) : [];
      if (!Array.isArray(v) && (typeof v !== 'object' || v === null)) throw bad(path, 'a map is a JSON object (or [[key, value], ...])');
      p.writeMapBegin(WIRE[type.key.kind], WIRE[type.value.kind], entries.length);
      for (const [k, x] of entries) {
        write(p, type.key, k, `${path} key`);
        write(p, type.value, x, `${path}.${String(k)}`);
      }
      return p.writeMapEnd();
    }
    case 'struct':
      return writeStruct(p, type.struct(), v, path);
  }
}

/** Writes a JSON object as the struct `s` (fields by name), the mapping of `dial codec`; also the Thrift RPC client's (src/rpc/thrift/). */
export function writeStruct(p: Protocol, s: ThriftStruct, v: unknown, path: string): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(path, `${s.name} is a JSON object`);
  const obj = v as Record<string, unknown>;
  const known = new Set(s.fields.map((f) => f.name));
  const unknown = Object.keys(obj).filter((k) => !known.has(k));
  if (unknown.length) throw bad(path, `${s.name} has no field ${unknown.map((k) => `'${k}'`).join(', ')} (fields: ${[...known].join(', ')})`);
  const present = s.fields.filter((f) => obj[f.name] !== undefined && obj[f.name] !== null);
  if (s.kind === 'union' && present.length !== 1) throw bad(path, `union ${s.name} takes exactly one field, got ${present.length}`);
  for (const f of s.fields) if (f.required && !present.includes(f)) throw bad(path, `required field '${f.name}' of ${s.name} is missing`);
  p.writeStructBegin(s.name);
  for (const f of present) {
    p.writeFieldBegin(f.name, WIRE[f.type.kind], f.id);
    write(p, f.type, obj[f.name], `${path}.${f.name}`);
    p.writeFieldEnd();
  }
  p.writeFieldStop();
  p.writeStructEnd();
}

function read(p: Protocol, type: ThriftType): JsonValue {
  switch (type.kind) {
    case 'bool': return p.readBool();
    case 'byte': return p.readByte();
    case 'i16': return p.readI16();
    case 'i32': return p.readI32();
    case 'i64': {
      const v = p.readI64() as Int64;
      const big = v.buffer.readBigInt64BE(v.offset);
      return Number.isSafeInteger(Number(big)) ? Number(big) : big.toString();
    }
    case 'double': return p.readDouble();
    case 'string': return p.readString();
    case 'binary': return Buffer.from(p.readBinary() as Buffer).toString('base64');
    case 'enum': {
      const n = p.readI32();
      return type.byValue.get(n) ?? n;
    }
    case 'list':
    case 'set': {
      const {size} = type.kind === 'list' ? p.readListBegin() : p.readSetBegin();
      const out: JsonValue[] = [];
      for (let i = 0; i < size; i++) out.push(read(p, type.elem));
      if (type.kind === 'list') p.readListEnd();
      else p.readSetEnd();
      return out;
    }
    case 'map': {
      const {size} = p.readMapBegin();
      const pairs: [JsonValue, JsonValue][] = [];
      for (let i = 0; i < size; i++) pairs.push([read(p, type.key), read(p, type.value)]);
      p.readMapEnd();
      const scalarKeys = pairs.every(([k]) => typeof k !== 'object' || k === null);
      return scalarKeys ? Object.fromEntries(pairs.map(([k, v]) => [String(k), v])) : pairs;
    }
    case 'struct':
      return readStruct(p, type.struct());
  }
}

/** Reads the struct `s` as JSON, the inverse of writeStruct. */
export function readStruct(p: Protocol, s: ThriftStruct): JsonValue {
  const byId = new Map(s.fields.map((f) => [f.id, f]));
  const out: Record<string, JsonValue> = {};
  p.readStructBegin();
  for (;;) {
    const {ftype, fid} = p.readFieldBegin();
    if (ftype === T.STOP) break;
    const f = byId.get(fid);
    if (f && WIRE[f.type.kind] === ftype) out[f.name] = read(p, f.type);
    else p.skip(ftype);
    p.readFieldEnd();
  }
  p.readStructEnd();
  return out;
}

function thriftCodec(name: 'thrift-binary' | 'thrift-compact', Proto: typeof thrift.TBinaryProtocol): Codec {
  return defineCodec({
    name,
    mimeType: name === 'thrift-binary' ? 'application/vnd.apache.thrift.binary' : 'application/vnd.apache.thrift.compact',
    description: `Thrift ${name === 'thrift-binary' ? 'TBinaryProtocol' : 'TCompactProtocol'} (thrift), schema .thrift`,
    schemaExtensions: ['.thrift'],
    async bind(schema?: CodecSchema) {
      if (!schema?.file || !schema.type) throw new DialError('SCHEMA_REQUIRED', `${name} needs --schema FILE.thrift and --type STRUCT`, {exitCode: ExitCode.Usage});
      const struct = (await loadThriftIdl(schema.file, schema.importPaths)).find(schema.type);
      return {
        type: struct.name,
        encode(json) {
          let out: Uint8Array = new Uint8Array(0);
          const transport = new thrift.TBufferedTransport(undefined, (buf?: Buffer) => {
            if (buf) out = buf;
          });
          const p = new Proto(transport);
          writeStruct(p, struct, json, '$');
          p.flush();
          return out;
        },
        decode(bytes) {
          const p = new Proto(new thrift.TFramedTransport(Buffer.from(bytes)));
          try {
            return readStruct(p, struct);
          } catch (e) {
            throw new DialError('BAD_ENCODING', `the input is not a ${name} ${struct.name}: ${(e as Error).message || (e as Error).name}`, {hint: 'check --codec and --type', exitCode: ExitCode.Usage});
          }
        },
      };
    },
  });
}

export const thriftBinaryCodec = thriftCodec('thrift-binary', thrift.TBinaryProtocol);
export const thriftCompactCodec = thriftCodec('thrift-compact', thrift.TCompactProtocol as unknown as typeof thrift.TBinaryProtocol);
