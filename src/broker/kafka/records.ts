import {decompressor} from './codecs.js';
import {crc32C} from './crc.js';
import type {StoredRecord} from '../types.js';
import {ErrorCode, MalformedRequest, Reader} from './wire.js';

/** A record of a produce request, as the log stores it (headers kept in their wire form). */
export interface IncomingRecord {
  key: Buffer | null;
  value: Buffer | null;
  /** The record's header array exactly as sent (count + headers), or null when it has none. */
  headers: Buffer | null;
}

/** A produce payload the listener refuses, with the Kafka error code to answer. */
export class RecordsError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

const BATCH_OVERHEAD = 61;

/**
 * Decodes the record batches (magic v2) of one partition of a produce
 * request: checks each batch's CRC-32C, decompresses it (codecs.ts: gzip,
 * snappy, lz4; zstd answers UNSUPPORTED_COMPRESSION_TYPE) and splits its records.
 */
export async function decodeRecordBatches(buf: Buffer): Promise<IncomingRecord[]> {
  const out: IncomingRecord[] = [];
  const r = new Reader(buf);
  while (r.remaining() > 0) {
    if (r.remaining() < BATCH_OVERHEAD) throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `a record batch of ${r.remaining()} bytes is too short`);
    r.int64(); // base offset: the broker assigns offsets
    const length = r.readInt32();
    if (length < BATCH_OVERHEAD - 12 || length > r.remaining()) throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `record batch length ${length} does not fit`);
    const batch = new Reader(r.buffer.subarray(r.offset, r.offset + length));
    r.offset += length;
    batch.readInt32(); // partition leader epoch
    const magic = batch.readInt8();
    if (magic !== 2) throw new RecordsError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, `message format v${magic} is not supported: use record batches (v2, Kafka 0.11+)`);
    const crc = batch.readInt32() >>> 0;
    if (crc32C(batch.buffer.subarray(batch.offset)) >>> 0 !== crc) throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, 'record batch CRC-32C mismatch');
    const attributes = batch.readInt16();
    batch.offset += 4 + 8 + 8 + 8 + 2 + 4; // last offset delta, first/max timestamp, producer id/epoch, base sequence
    const count = batch.readInt32();
    if (count < 0 || count > length) throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `record count ${count}`);
    let records = batch;
    const codecId = attributes & 0x07;
    if (codecId !== 0) {
      const decompress = decompressor(codecId);
      if (!decompress) throw new RecordsError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `compression codec ${codecId} is not supported (none, gzip, snappy and lz4 are)`);
      try {
        records = new Reader(await decompress(batch.buffer.subarray(batch.offset)));
      } catch (e) {
        throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `cannot decompress the record batch: ${(e as Error).message}`);
      }
    }
    try {
      for (let i = 0; i < count; i++) out.push(decodeRecord(records));
    } catch (e) {
      if (e instanceof MalformedRequest || e instanceof RangeError) throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `record ${out.length}: ${e.message}`);
      throw e;
    }
  }
  return out;
}

function decodeRecord(r: Reader): IncomingRecord {
  const length = r.readVarInt();
  if (length < 0 || length > r.remaining()) throw new MalformedRequest(`record length ${length}`);
  const end = r.offset + length;
  r.readInt8(); // attributes (unused)
  r.readVarLong(); // timestamp delta: the broker's append time is what dial stores
  r.readVarInt(); // offset delta
  const key = copy(r.readVarIntBytes());
  const value = copy(r.readVarIntBytes());
  const hStart = r.offset;
  const n = r.readVarInt();
  if (n < 0 || n > end - r.offset) throw new MalformedRequest(`header count ${n}`);
  for (let i = 0; i < n; i++) {
    if (r.readVarIntBytes() === null) throw new MalformedRequest('a header without a name');
    r.readVarIntBytes();
  }
  if (r.offset !== end) throw new MalformedRequest(`record of ${length} bytes has ${end - r.offset} bytes left over`);
  return {key, value, headers: n === 0 ? null : Buffer.from(r.buffer.subarray(hStart, end))};
}

/** A copy detached from the (possibly large) request buffer. */
const copy = (b: Buffer | null) => (b === null ? null : Buffer.from(b));

const EMPTY_HEADERS = Buffer.from([0]);

/**
 * One uncompressed record batch (magic v2, CreateTime: each record carries
 * the time the broker appended it) holding consecutive stored records.
 * Written by hand into one buffer sized up front: kafkajs's Encoder
 * allocates a Buffer per varint (about 15 µs a record, a third of a
 * consume's time); the CRC-32C comes from crc.ts.
 */
export function encodeRecordBatch(records: StoredRecord[]): Buffer {
  const first = records[0];
  let maxTs = first.timestamp;
  let size = 61;
  const sizes = new Array<number>(records.length);
  for (let i = 0; i < records.length; i++) {
    const rec = records[i];
    if (rec.timestamp > maxTs) maxTs = rec.timestamp;
    const body = 1 + varlongSize(rec.timestamp - first.timestamp) + zigzagSize(rec.offset - first.offset) + bytesSize(rec.key) + bytesSize(rec.value) + (rec.headers ?? EMPTY_HEADERS).length;
    sizes[i] = body;
    size += zigzagSize(body) + body;
  }
  const buf = Buffer.allocUnsafe(size);
  buf.writeBigInt64BE(BigInt(first.offset), 0);
  buf.writeInt32BE(size - 12, 8);
  buf.writeInt32BE(0, 12); // partition leader epoch
  buf.writeInt8(2, 16); // magic; the CRC (17) is written last
  buf.writeInt16BE(0, 21); // attributes: no compression, CreateTime, not transactional
  buf.writeInt32BE(records.at(-1)!.offset - first.offset, 23);
  buf.writeBigInt64BE(BigInt(first.timestamp), 27);
  buf.writeBigInt64BE(BigInt(maxTs), 35);
  buf.writeBigInt64BE(-1n, 43); // producer id
  buf.writeInt16BE(-1, 51); // producer epoch
  buf.writeInt32BE(-1, 53); // base sequence
  buf.writeInt32BE(records.length, 57);
  let at = 61;
  for (let i = 0; i < records.length; i++) {
    const rec = records[i];
    at = writeZigzag(buf, at, sizes[i]);
    buf[at++] = 0;
    at = writeZigzag(buf, at, rec.timestamp - first.timestamp);
    at = writeZigzag(buf, at, rec.offset - first.offset);
    at = writeBytes(buf, at, rec.key);
    at = writeBytes(buf, at, rec.value);
    at += (rec.headers ?? EMPTY_HEADERS).copy(buf, at);
  }
  buf.writeUInt32BE(crc32C(buf.subarray(21)) >>> 0, 17);
  return buf;
}

/** A zigzag varint (as Kafka's varint and varlong), for values within ±2^52. */
function writeZigzag(buf: Buffer, at: number, v: number): number {
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  while (z >= 0x80) {
    buf[at++] = (z % 0x80) | 0x80;
    z = Math.floor(z / 0x80);
  }
  buf[at++] = z;
  return at;
}

function zigzagSize(v: number): number {
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  let n = 1;
  while (z >= 0x80) {
    z = Math.floor(z / 0x80);
    n++;
  }
  return n;
}

function writeBytes(buf: Buffer, at: number, b: Buffer | null): number {
  if (b === null) return writeZigzag(buf, at, -1);
  at = writeZigzag(buf, at, b.length);
  return at + b.copy(buf, at);
}

const bytesSize = (b: Buffer | null) => (b === null ? 1 : zigzagSize(b.length) + b.length);
const varlongSize = zigzagSize;

/** Bytes a stored record takes in a batch, roughly (for fetch size budgets). */
export function recordSize(rec: StoredRecord): number {
  return 12 + (rec.key?.length ?? 0) + (rec.value?.length ?? 0) + (rec.headers?.length ?? 0);
}
