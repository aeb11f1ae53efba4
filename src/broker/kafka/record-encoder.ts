import {crc32C} from './crc.js';
import type {StoredRecord} from '../types.js';

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
