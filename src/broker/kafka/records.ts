import compression from 'kafkajs/src/protocol/message/compression/index.js';
import crc32C from 'kafkajs/src/protocol/recordBatch/crc32C/index.js';
import type {StoredRecord} from '../types.js';
import {Encoder, ErrorCode, MalformedRequest, Reader} from './wire.js';

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
 * request: checks each batch's CRC-32C, decompresses it with kafkajs's codecs
 * (gzip; others answer UNSUPPORTED_COMPRESSION_TYPE) and splits its records.
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
      let codec;
      try {
        codec = compression.lookupCodec(codecId);
      } catch {
        codec = null;
      }
      if (!codec) throw new RecordsError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `compression codec ${codecId} is not supported (none and gzip are)`);
      try {
        records = new Reader(await codec.decompress(batch.buffer.subarray(batch.offset)));
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
 */
export function encodeRecordBatch(records: StoredRecord[]): Buffer {
  const first = records[0];
  let maxTs = first.timestamp;
  const body = new Encoder(64 + records.length * 32);
  body.writeInt16(0) // attributes: no compression, CreateTime, not transactional
    .writeInt32(records.at(-1)!.offset - first.offset)
    .writeInt64(first.timestamp);
  const maxAt = body.size();
  body.writeInt64(first.timestamp).writeInt64(-1).writeInt16(-1).writeInt32(-1).writeInt32(records.length);
  for (const rec of records) {
    if (rec.timestamp > maxTs) maxTs = rec.timestamp;
    const tsDelta = rec.timestamp - first.timestamp;
    const offDelta = rec.offset - first.offset;
    const headers = rec.headers ?? EMPTY_HEADERS;
    const size = 1 + varlongSize(tsDelta) + Encoder.sizeOfVarInt(offDelta) + bytesSize(rec.key) + bytesSize(rec.value) + headers.length;
    body.writeVarInt(size).writeInt8(0);
    if (Math.abs(tsDelta) < 2 ** 30) body.writeVarInt(tsDelta);
    else body.writeVarLong(tsDelta);
    body.writeVarInt(offDelta).writeVarIntBytes(rec.key).writeVarIntBytes(rec.value).writeBuffer(headers);
  }
  const bodyBuf = body.buffer;
  bodyBuf.writeBigInt64BE(BigInt(maxTs), maxAt);
  const head = Buffer.allocUnsafe(8 + 4 + 4 + 1 + 4);
  head.writeBigInt64BE(BigInt(first.offset), 0);
  head.writeInt32BE(bodyBuf.length + 9, 8);
  head.writeInt32BE(0, 12); // partition leader epoch
  head.writeInt8(2, 16);
  head.writeUInt32BE(crc32C(bodyBuf) >>> 0, 17);
  return Buffer.concat([head, bodyBuf]);
}

const bytesSize = (b: Buffer | null) => (b === null ? 1 : Encoder.sizeOfVarInt(b.length) + b.length);

function varlongSize(v: number): number {
  if (Math.abs(v) < 2 ** 30) return Encoder.sizeOfVarInt(v);
  let z = v >= 0 ? BigInt(v) * 2n : -BigInt(v) * 2n - 1n;
  let n = 1;
  while (z >= 128n) {
    z >>= 7n;
    n++;
  }
  return n;
}

/** Bytes a stored record takes in a batch, roughly (for fetch size budgets). */
export function recordSize(rec: StoredRecord): number {
  return 12 + (rec.key?.length ?? 0) + (rec.value?.length ?? 0) + (rec.headers?.length ?? 0);
}
