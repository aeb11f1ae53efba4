import {decompressor} from './codecs.js';
import {crc32C} from './crc.js';
import {ErrorCode, MalformedRequest} from './wire.js';

/** A record of a produce request, as the log stores it (headers kept in their wire form). */
export interface IncomingRecord {
  key: Buffer | null;
  value: Buffer | null;
  /** The record's header array exactly as sent (count + headers), or null when it has none. */
  headers: Buffer | null;
}

/** A record of a fetch response: offset and timestamp resolved, key, value and headers slices of the response. */
export interface FetchedRecord {
  offset: number;
  /** ms since epoch: the producer's CreateTime, or the broker's LogAppendTime when the batch says so. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  /** The header array in its wire form (count + headers), null when there are none: parseHeaders reads it. */
  headers: Buffer | null;
}

/** A record batch that cannot be used, with the Kafka error code the listener answers. */
export class RecordsError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

const BATCH_OVERHEAD = 61;
const ATTR_CODEC = 0x07;
const ATTR_LOG_APPEND_TIME = 0x08;
const ATTR_TRANSACTIONAL = 0x10;
const ATTR_CONTROL = 0x20;

/** The header of one record batch (magic v2) and its records section, still compressed when the batch is. */
interface Batch {
  baseOffset: number;
  lastOffsetDelta: number;
  attributes: number;
  firstTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  count: number;
  body: Buffer;
  /** Where the next batch starts. */
  end: number;
}

/** An int64 that fits in 2^53 (offsets, timestamps, producer ids), without a BigInt. */
const int64 = (b: Buffer, at: number) => b.readInt32BE(at) * 0x1_0000_0000 + b.readUInt32BE(at + 4);

/**
 * The batch at `at` of `buf`, its CRC-32C checked. `truncated` says what a
 * batch cut short is: a produce's is corrupt (an error), a fetch response
 * may end in part of a batch (Kafka fills max bytes), which is null here.
 * The CRC is the producer's: the listener checks it on produce; a consumer
 * may leave it to TCP, as librdkafka does by default (check.crcs=false).
 */
function readBatch(buf: Buffer, at: number, truncated: 'error' | 'stop', checkCrc = true): Batch | null {
  const left = buf.length - at;
  if (left < BATCH_OVERHEAD) {
    if (truncated === 'stop') return null;
    throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `a record batch of ${left} bytes is too short`);
  }
  const length = buf.readInt32BE(at + 8);
  if (length < BATCH_OVERHEAD - 12) throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `record batch length ${length} does not fit`);
  if (length > left - 12) {
    if (truncated === 'stop') return null;
    throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `record batch length ${length} does not fit`);
  }
  const end = at + 12 + length;
  const magic = buf.readInt8(at + 16);
  if (magic !== 2) throw new RecordsError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, `message format v${magic} is not supported: use record batches (v2, Kafka 0.11+)`);
  if (checkCrc && crc32C(buf.subarray(at + 21, end)) >>> 0 !== buf.readUInt32BE(at + 17)) throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, 'record batch CRC-32C mismatch');
  const count = buf.readInt32BE(at + 57);
  if (count < 0 || count > length) throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `record count ${count}`);
  return {
    baseOffset: int64(buf, at), attributes: buf.readInt16BE(at + 21), lastOffsetDelta: buf.readInt32BE(at + 23),
    firstTimestamp: int64(buf, at + 27), maxTimestamp: int64(buf, at + 35), producerId: int64(buf, at + 43), count,
    body: buf.subarray(at + BATCH_OVERHEAD, end), end,
  };
}

/** The records section of a batch, decompressed (codecs.ts: gzip, snappy, lz4; zstd is UNSUPPORTED_COMPRESSION_TYPE). */
async function batchRecords(batch: Batch): Promise<Buffer> {
  const codecId = batch.attributes & ATTR_CODEC;
  if (codecId === 0) return batch.body;
  const decompress = decompressor(codecId);
  if (!decompress) throw new RecordsError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `compression codec ${codecId} is not supported (none, gzip, snappy and lz4 are)`);
  try {
    return await decompress(batch.body);
  } catch (e) {
    throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `cannot decompress the record batch: ${(e as Error).message}`);
  }
}

/** One record as it is read: slices of the records section, reused from record to record. */
interface RecordView {
  timestampDelta: number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  /** count + headers in their wire form, null when the count is 0. */
  headers: Buffer | null;
}

/** Reads records (Kafka's zigzag varints) from a records section, with bounds checks. */
class RecordCursor {
  at = 0;
  constructor(readonly buf: Buffer) {}

  varint(): number {
    const b = this.buf;
    let u = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= b.length) throw new MalformedRequest('varint runs past the end of the records');
      const byte = b[this.at++];
      u += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 63) throw new MalformedRequest('varint longer than 10 bytes');
    }
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  bytes(): Buffer | null {
    const n = this.varint();
    if (n === -1) return null;
    if (n < 0 || this.at + n > this.buf.length) throw new MalformedRequest(`a field of ${n} bytes runs past the end of the records`);
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}

/** Calls `visit` for each of the `count` records of a records section (one view object, overwritten each time). */
function forEachRecord(records: Buffer, count: number, visit: (r: RecordView, index: number) => void): void {
  const c = new RecordCursor(records);
  const view: RecordView = {timestampDelta: 0, offsetDelta: 0, key: null, value: null, headers: null};
  for (let i = 0; i < count; i++) {
    try {
      const length = c.varint();
      if (length < 0 || length > records.length - c.at) throw new MalformedRequest(`record length ${length}`);
      const end = c.at + length;
      c.at += 1; // attributes (unused)
      view.timestampDelta = c.varint();
      view.offsetDelta = c.varint();
      view.key = c.bytes();
      view.value = c.bytes();
      const hStart = c.at;
      const n = c.varint();
      if (n < 0 || n > end - c.at) throw new MalformedRequest(`header count ${n}`);
      for (let h = 0; h < n; h++) {
        if (c.bytes() === null) throw new MalformedRequest('a header without a name');
        c.bytes();
      }
      if (c.at !== end) throw new MalformedRequest(`record of ${length} bytes has ${end - c.at} bytes left over`);
      view.headers = n === 0 ? null : records.subarray(hStart, end);
    } catch (e) {
      if (e instanceof MalformedRequest || e instanceof RangeError) throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `record ${i}: ${e.message}`);
      throw e;
    }
    visit(view, i);
  }
}

/**
 * Decodes the record batches (magic v2) of one partition of a produce
 * request: checks each batch's CRC-32C, decompresses it and splits its
 * records, each detached (copied) from the request buffer.
 */
export async function decodeRecordBatches(buf: Buffer): Promise<IncomingRecord[]> {
  const out: IncomingRecord[] = [];
  for (let at = 0; at < buf.length;) {
    const batch = readBatch(buf, at, 'error')!;
    at = batch.end;
    forEachRecord(await batchRecords(batch), batch.count, (r) => {
      out.push({key: copy(r.key), value: copy(r.value), headers: copy(r.headers)});
    });
  }
  return out;
}

/** A copy detached from the (possibly large) request buffer. */
const copy = (b: Buffer | null) => (b === null ? null : Buffer.from(b));

/** An aborted transaction of a fetch response (read_committed): the producer's records from firstOffset on, up to its abort marker. */
export interface AbortedTransaction {
  producerId: number;
  firstOffset: number;
}

export interface FetchedRecords {
  records: FetchedRecord[];
  /** The offset to fetch next: after the last whole batch (control batches and compacted-away offsets included). */
  nextOffset: number;
  /** The response ended in part of a batch and nothing whole came before it: fetch more bytes at once. */
  truncated: boolean;
}

/**
 * The records of one partition of a fetch response, from `fromOffset` on:
 * records below it (a batch that starts before it: a compacted log, or a
 * start in mid-batch) are dropped, control batches (transaction markers)
 * and the records of aborted transactions skipped, and a last batch cut
 * short by the response's size limit left for the next fetch. Shares the
 * batch and record reading of the listener's produce (decodeRecordBatches);
 * key, value and headers are slices of `buf`, not copies.
 */
export async function decodeFetchedRecords(buf: Buffer, fromOffset: number, aborted: readonly AbortedTransaction[] = [], checkCrc = true): Promise<FetchedRecords> {
  const records: FetchedRecord[] = [];
  let nextOffset = fromOffset;
  const pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<number>();
  let at = 0;
  let whole = 0;
  for (;;) {
    const batch = readBatch(buf, at, 'stop', checkCrc);
    if (!batch) break;
    at = batch.end;
    whole += 1;
    const last = batch.baseOffset + batch.lastOffsetDelta;
    if (last < fromOffset) continue;
    nextOffset = Math.max(nextOffset, last + 1);
    while (pending.length && pending[0].firstOffset <= last) abortedProducers.add(pending.shift()!.producerId);
    const transactional = (batch.attributes & ATTR_TRANSACTIONAL) !== 0;
    if ((batch.attributes & ATTR_CONTROL) !== 0) {
      // the marker that ends an aborted transaction ends the skipping of its producer's records
      if (transactional) abortedProducers.delete(batch.producerId);
      continue;
    }
    if (transactional && abortedProducers.has(batch.producerId)) continue;
    const logAppend = (batch.attributes & ATTR_LOG_APPEND_TIME) !== 0;
    forEachRecord(await batchRecords(batch), batch.count, (r) => {
      const offset = batch.baseOffset + r.offsetDelta;
      if (offset < fromOffset) return;
      records.push({offset, timestamp: logAppend ? batch.maxTimestamp : batch.firstTimestamp + r.timestampDelta, key: r.key, value: r.value, headers: r.headers});
    });
  }
  return {records, nextOffset, truncated: whole === 0 && buf.length > 0};
}

/** The headers of a record (FetchedRecord.headers, IncomingRecord.headers) as [name, value] pairs, in order. */
export function parseHeaders(raw: Buffer | null): [string, Buffer | null][] {
  if (raw === null) return [];
  const c = new RecordCursor(raw);
  const n = c.varint();
  const out: [string, Buffer | null][] = [];
  for (let i = 0; i < n; i++) out.push([c.bytes()!.toString('utf8'), c.bytes()]);
  return out;
}
