import {DialError, ExitCode} from '../errors/index.js';
import {setJsonKey as setKey} from './json-value.js';
import type {JsonValue} from './types.js';

/**
 * A reader of the Java Object Serialization Stream Protocol (Java Object
 * Serialization Specification, chapter 6) that turns a stream into a JSON
 * tree. It only reads bytes: nothing is instantiated, no class is loaded,
 * and every count is checked against the bytes left, so a hostile stream
 * costs at most its own size.
 *
 * JSON shapes: objects {"$class", "$handle", ...fields}, custom writeObject
 * data in "$annotations", collections and maps also as "$elements" /
 * "$entries"; arrays {"$array": "[I", "values": [...]} (byte[] as base64);
 * enums {"$enum", "value"}; class literals {"$classRef"}; a repeated object
 * {"$ref": handle}; strings are JSON strings; long beyond 2^53 a decimal string.
 */
const TC = {NULL: 0x70, REFERENCE: 0x71, CLASSDESC: 0x72, OBJECT: 0x73, STRING: 0x74, ARRAY: 0x75, CLASS: 0x76, BLOCKDATA: 0x77, ENDBLOCKDATA: 0x78, RESET: 0x79, BLOCKDATALONG: 0x7a, EXCEPTION: 0x7b, LONGSTRING: 0x7c, PROXYCLASSDESC: 0x7d, ENUM: 0x7e};
const SC = {WRITE_METHOD: 0x01, SERIALIZABLE: 0x02, EXTERNALIZABLE: 0x04, BLOCK_DATA: 0x08, ENUM: 0x10};
const BASE_HANDLE = 0x7e0000;
const MAX_DEPTH = 500;

const COLLECTIONS = new Set(['java.util.ArrayList', 'java.util.LinkedList', 'java.util.HashSet', 'java.util.LinkedHashSet', 'java.util.ArrayDeque', 'java.util.TreeSet', 'java.util.Vector', 'java.util.PriorityQueue']);
const MAPS = new Set(['java.util.HashMap', 'java.util.LinkedHashMap', 'java.util.Hashtable', 'java.util.TreeMap', 'java.util.IdentityHashMap', 'java.util.Properties']);

interface FieldDesc {
  type: string;
  name: string;
  className?: string;
}

interface ClassDesc {
  name: string;
  suid: string;
  flags: number;
  fields: FieldDesc[];
  annotations: JsonValue[];
  superDesc?: ClassDesc;
  proxyInterfaces?: string[];
  handle: number;
}

type Handle = {kind: 'desc'; desc: ClassDesc} | {kind: 'value'; value: JsonValue; inline: boolean};

export function javaError(message: string, offset?: number): DialError {
  return new DialError('BAD_JAVA_STREAM', `not a readable Java serialization stream: ${message}${offset === undefined ? '' : ` (at byte ${offset})`}`, {
    hint: 'the input must start with AC ED 00 05 (ObjectOutputStream); give raw bytes, or --in hex|base64', exitCode: ExitCode.Usage,
  });
}


class Reader {
  private pos = 0;
  private handles: Handle[] = [];
  private depth = 0;

  constructor(private readonly buf: Buffer) {}

  get offset(): number {
    return this.pos;
  }

  get left(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) throw javaError(`truncated: needs ${n} more bytes, ${this.left} left`, this.pos);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  peek(): number {
    this.need(1);
    return this.buf[this.pos];
  }

  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  i8 = () => this.bytes(1).readInt8(0);
  u16 = () => this.bytes(2).readUInt16BE(0);
  i16 = () => this.bytes(2).readInt16BE(0);
  i32 = () => this.bytes(4).readInt32BE(0);
  f32 = () => this.bytes(4).readFloatBE(0);
  f64 = () => this.bytes(8).readDoubleBE(0);
  i64(): number | string {
    const v = this.bytes(8).readBigInt64BE(0);
    return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  }

  /** Java's modified UTF-8 (DataInput.readUTF): 0 as C0 80, supplementary characters as surrogate pairs. */
  mutf8(length: number): string {
    const b = this.bytes(length);
    const units: number[] = [];
    for (let i = 0; i < b.length;) {
      const c = b[i];
      if (c < 0x80) {
        units.push(c);
        i += 1;
      } else if ((c & 0xe0) === 0xc0 && i + 1 < b.length && (b[i + 1] & 0xc0) === 0x80) {
        units.push(((c & 0x1f) << 6) | (b[i + 1] & 0x3f));
        i += 2;
      } else if ((c & 0xf0) === 0xe0 && i + 2 < b.length && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80) {
        units.push(((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f));
        i += 3;
      } else {
        throw javaError(`bad modified UTF-8 byte 0x${c.toString(16)}`, this.pos - length + i);
      }
    }
    let s = '';
    for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode(...units.slice(i, i + 4096));
    return s;
  }

  utf = () => this.mutf8(this.u16());

  private newHandle(h: Handle): number {
    this.handles.push(h);
    return this.handles.length - 1;
  }

  private handle(wire: number): Handle {
    const h = this.handles[wire - BASE_HANDLE];
    if (!h) throw javaError(`reference to unknown handle 0x${wire.toString(16)}`, this.pos - 4);
    return h;
  }

  /** The top level: every content item of the stream. */
  stream(): JsonValue[] {
    if (this.buf.length < 4 || this.buf.readUInt16BE(0) !== 0xaced) throw javaError('no AC ED magic at the start', 0);
    this.pos = 2;
    const version = this.u16();
    if (version !== 5) throw javaError(`stream version ${version} (only 5 is defined)`, 2);
    const out: JsonValue[] = [];
    while (this.left > 0) {
      const c = this.content(true);
      if (c !== undefined) out.push(c);
    }
    return out;
  }

  /** One content item: an object or block data (undefined for a reset). */
  content(allowBlock: boolean): JsonValue | undefined {
    const tc = this.peek();
    if (tc === TC.BLOCKDATA || tc === TC.BLOCKDATALONG) {
      if (!allowBlock) throw javaError('block data where an object was expected', this.pos);
      this.u8();
      const len = tc === TC.BLOCKDATA ? this.u8() : this.i32();
      return {$blockdata: this.bytes(len).toString('base64')};
    }
    if (tc === TC.RESET) {
      this.u8();
      this.handles = [];
      return undefined;
    }
    return this.object();
  }

  object(): JsonValue {
    if (++this.depth > MAX_DEPTH) throw javaError(`objects nested deeper than ${MAX_DEPTH}`, this.pos);
    try {
      return this.objectInner();
    } finally {
      this.depth--;
    }
  }

  private objectInner(): JsonValue {
    const at = this.pos;
    const tc = this.u8();
    switch (tc) {
      case TC.NULL:
        return null;
      case TC.REFERENCE: {
        const wire = this.i32();
        const h = this.handle(wire);
        if (h.kind === 'desc') return {$classDesc: h.desc.name};
        return h.inline ? h.value : {$ref: wire - BASE_HANDLE};
      }
      case TC.STRING:
      case TC.LONGSTRING: {
        const len = tc === TC.STRING ? this.u16() : Number(this.bytes(8).readBigInt64BE(0));
        if (len > this.left) throw javaError(`truncated: a string of ${len} bytes, ${this.left} left`, at);
        const h = this.newHandle({kind: 'value', value: null, inline: true});
        const s = this.mutf8(len);
        (this.handles[h] as {value: JsonValue}).value = s;
        return s;
      }
      case TC.CLASSDESC:
      case TC.PROXYCLASSDESC:
        this.pos = at;
        return {$classDesc: this.classDesc()?.name ?? null};
      case TC.CLASS: {
        const desc = this.classDesc();
        const value = {$classRef: desc?.name ?? null};
        this.newHandle({kind: 'value', value, inline: true});
        return value;
      }
      case TC.ENUM: {
        const desc = this.classDesc();
        const value: Record<string, JsonValue> = {$enum: desc?.name ?? null, value: null};
        this.newHandle({kind: 'value', value, inline: true});
        value.value = this.object();
        return value;
      }
      case TC.ARRAY:
        return this.array();
      case TC.OBJECT:
        return this.newObject();
      case TC.EXCEPTION: {
        this.handles = [];
        const thrown = this.object();
        this.handles = [];
        return {$exception: thrown};
      }
      default:
        throw javaError(`unexpected type code 0x${tc.toString(16)}`, at);
    }
  }

  classDesc(): ClassDesc | undefined {
    const at = this.pos;
    const tc = this.u8();
    if (tc === TC.NULL) return undefined;
    if (tc === TC.REFERENCE) {
      const h = this.handle(this.i32());
      if (h.kind !== 'desc') throw javaError('a class descriptor reference points at an object', at);
      return h.desc;
    }
    if (tc === TC.PROXYCLASSDESC) {
      const desc: ClassDesc = {name: '', suid: '0', flags: SC.SERIALIZABLE, fields: [], annotations: [], handle: 0};
      desc.handle = this.newHandle({kind: 'desc', desc});
      const count = this.i32();
      if (count < 0 || count > this.left) throw javaError(`${count} proxy interfaces`, at);
      desc.proxyInterfaces = Array.from({length: count}, () => this.utf());
      desc.name = `$Proxy(${desc.proxyInterfaces.join(', ')})`;
      desc.annotations = this.annotation();
      desc.superDesc = this.classDesc();
      return desc;
    }
    if (tc !== TC.CLASSDESC) throw javaError(`expected a class descriptor, got type code 0x${tc.toString(16)}`, at);
    const name = this.utf();
    const suid = this.bytes(8).readBigInt64BE(0).toString();
    const desc: ClassDesc = {name, suid, flags: 0, fields: [], annotations: [], handle: 0};
    desc.handle = this.newHandle({kind: 'desc', desc});
    desc.flags = this.u8();
    const count = this.i16();
    if (count < 0 || count * 3 > this.left) throw javaError(`${count} fields in ${name}`, at);
    for (let i = 0; i < count; i++) {
      const type = String.fromCharCode(this.u8());
      const fieldName = this.utf();
      if ('BCDFIJSZ'.includes(type)) desc.fields.push({type, name: fieldName});
      else if (type === '[' || type === 'L') desc.fields.push({type, name: fieldName, className: this.object() as string});
      else throw javaError(`field ${fieldName} of ${name} has type code '${type}'`, this.pos);
    }
    desc.annotations = this.annotation();
    desc.superDesc = this.classDesc();
    return desc;
  }

  /** Contents up to TC_ENDBLOCKDATA (class and object annotations). */
  annotation(): JsonValue[] {
    const out: JsonValue[] = [];
    while (this.peek() !== TC.ENDBLOCKDATA) {
      const c = this.content(true);
      if (c !== undefined) out.push(c);
    }
    this.u8();
    return out;
  }

  value(f: FieldDesc): JsonValue {
    switch (f.type) {
      case 'B': return this.i8();
      case 'C': return String.fromCharCode(this.u16());
      case 'D': return finite(this.f64());
      case 'F': return finite(this.f32());
      case 'I': return this.i32();
      case 'J': return this.i64();
      case 'S': return this.i16();
      case 'Z': return this.u8() !== 0;
      default: return this.object();
    }
  }

  array(): JsonValue {
    const at = this.pos;
    const desc = this.classDesc();
    const type = desc?.name ?? '[?';
    const value: Record<string, JsonValue> = {$array: type};
    const h = this.newHandle({kind: 'value', value, inline: false});
    setKey(value, '$handle', h);
    const size = this.i32();
    const elem = type.charAt(1);
    if (size < 0 || size > this.left) throw javaError(`array of ${size} elements, ${this.left} bytes left`, at);
    if (elem === 'B') {
      setKey(value, 'base64', this.bytes(size).toString('base64'));
    } else {
      const field: FieldDesc = {type: 'BCDFIJSZ'.includes(elem) ? elem : 'L', name: ''};
      const values: JsonValue[] = [];
      for (let i = 0; i < size; i++) values.push(this.value(field));
      setKey(value, 'values', values);
    }
    return value;
  }

  newObject(): JsonValue {
    const desc = this.classDesc();
    if (!desc) throw javaError('an object without a class descriptor', this.pos);
    const obj: Record<string, JsonValue> = {$class: desc.name};
    const h = this.newHandle({kind: 'value', value: obj, inline: false});
    setKey(obj, '$handle', h);
    const chain: ClassDesc[] = [];
    for (let d: ClassDesc | undefined = desc; d; d = d.superDesc) chain.unshift(d);
    const annotations: JsonValue[] = [];
    const objects: JsonValue[] = [];
    const owner = new Map<string, string>();
    const simple = (name: string) => name.slice(name.lastIndexOf('.') + 1);
    for (const d of chain) {
      if (d.flags & SC.EXTERNALIZABLE) {
        if (!(d.flags & SC.BLOCK_DATA)) throw javaError(`${d.name} is Externalizable in protocol version 1, whose data has no framing`, this.pos);
        const contents = this.annotation();
        annotations.push({class: d.name, externalContents: contents});
        continue;
      }
      for (const f of d.fields) {
        const shadowed = owner.get(f.name);
        if (shadowed !== undefined) {
          // The most derived class keeps the plain name; the superclass's field becomes Super.name.
          setKey(obj, `${simple(shadowed)}.${f.name}`, obj[f.name]);
          delete obj[f.name];
        }
        owner.set(f.name, d.name);
        setKey(obj, f.name, this.value(f));
      }
      if (d.flags & SC.WRITE_METHOD) {
        const contents = this.annotation();
        annotations.push({class: d.name, contents});
        objects.push(...contents.filter((c) => !(c && typeof c === 'object' && !Array.isArray(c) && '$blockdata' in c)));
      }
    }
    if (annotations.length) setKey(obj, '$annotations', annotations);
    if (COLLECTIONS.has(desc.name)) setKey(obj, '$elements', objects);
    if (MAPS.has(desc.name)) {
      const entries: JsonValue[] = [];
      for (let i = 0; i + 1 < objects.length; i += 2) entries.push([objects[i], objects[i + 1]]);
      setKey(obj, '$entries', entries);
    }
    return obj;
  }
}

function finite(n: number): JsonValue {
  return Number.isFinite(n) ? n : String(n);
}

/** Reads a whole Java serialization stream: one JSON value per top-level content item. */
export function readJavaStream(bytes: Uint8Array): JsonValue[] {
  return new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).stream();
}
