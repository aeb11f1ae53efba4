import {EVENTS_TOPIC} from '../../types.js';
import type {StoredRecord} from '../../types.js';
import type {Handler, KafkaContext} from '../context.js';
import {encodeRecordBatch, recordSize} from '../record-encoder.js';
import {decodeRecordBatches, RecordsError} from '../records.js';
import {ApiKey, Encoder, ErrorCode, type Reader} from '../wire.js';
import {topicError} from './metadata.js';

interface PartitionReply {partition: number; error: number; baseOffset: number}

/** Produce v3-7: record batches v2 appended with the broker's group commit; acks 1/-1 answer once on disk, acks 0 not at all. */
export const produce: Handler = async (r, v, ctx) => {
  r.readString(); // transactional id
  const acks = r.readInt16();
  r.readInt32(); // timeout
  const topics = r.readArray((d) => ({name: d.str(), partitions: d.readArray((p) => ({partition: p.readInt32(), records: p.readBytes()}))}));
  // Decoding and queueing keep the connection's request order; the acknowledgements wait for the group commit.
  const replies = await ctx.serial(async () => {
    const out: {name: string; partitions: Promise<PartitionReply>[]}[] = [];
    for (const t of topics) {
      const partitions: Promise<PartitionReply>[] = [];
      for (const p of t.partitions) partitions.push((await appendPartition(ctx, t.name, p.partition, p.records, acks)).ack);
      out.push({name: t.name, partitions});
    }
    return out;
  });
  if (acks === 0) return null;
  const e = new Encoder().writeInt32(replies.length);
  for (const t of replies) {
    e.writeString(t.name).writeInt32(t.partitions.length);
    for (const pending of t.partitions) {
      const p = await pending;
      e.writeInt32(p.partition).writeInt16(p.error).writeInt64(p.baseOffset);
      if (v >= 2) e.writeInt64(-1); // log append time: -1, records keep CreateTime (the broker's own clock, see records.ts)
      if (v >= 5) e.writeInt64(0); // log start offset
    }
  }
  e.writeInt32(0); // throttle time
  return e;
};

/** Decodes and queues one partition's records; resolves (once queued) to the acknowledgement's promise. */
async function appendPartition(ctx: KafkaContext, topic: string, partition: number, records: Buffer | null, acks: number): Promise<{ack: Promise<PartitionReply>}> {
  const fail = (error: number) => ({ack: Promise.resolve({partition, error, baseOffset: -1})});
  if (acks !== 0 && acks !== 1 && acks !== -1) return fail(ErrorCode.INVALID_REQUIRED_ACKS);
  if (topic === EVENTS_TOPIC) return fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  const error = topicError(ctx, topic, true);
  if (error !== ErrorCode.NONE) return fail(error);
  if (partition < 0 || partition >= (ctx.broker.store.partitionCount(topic) ?? 0)) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  let decoded;
  try {
    decoded = await decodeRecordBatches(records ?? Buffer.alloc(0));
  } catch (e) {
    if (e instanceof RecordsError) return fail(e.code);
    throw e;
  }
  if (decoded.length === 0) return {ack: Promise.resolve({partition, error: ErrorCode.NONE, baseOffset: ctx.broker.store.end(topic, partition)})};
  const baseOffset = ctx.broker.appendRecords(topic, partition, decoded);
  return {ack: baseOffset.then((o) => ({partition, error: ErrorCode.NONE, baseOffset: o}), () => ({partition, error: ErrorCode.UNKNOWN_SERVER_ERROR, baseOffset: -1}))};
}

interface FetchPartition {partition: number; offset: number; maxBytes: number}

/** Fetch v4-11: records up to the high watermark (what is on disk), waiting up to max wait for min bytes. */
export const fetch: Handler = async (r, v, ctx) => {
  r.readInt32(); // replica id
  const maxWait = Math.min(Math.max(r.readInt32(), 0), 30_000);
  const minBytes = r.readInt32();
  const maxBytes = r.readInt32();
  r.readInt8(); // isolation level: nothing is transactional
  if (v >= 7) {
    r.readInt32(); // session id: fetch sessions are not kept, every fetch is a full one
    r.readInt32();
  }
  const topics = r.readArray((d) => ({
    name: d.str(),
    partitions: d.readArray((p): FetchPartition => {
      const partition = p.readInt32();
      if (v >= 9) p.readInt32(); // current leader epoch
      const offset = p.int64();
      if (v >= 5) p.int64(); // log start offset
      return {partition, offset, maxBytes: p.readInt32()};
    }),
  }));
  const signal = new AbortController();
  const read = () => readAll(ctx, topics, maxBytes);
  let result = read();
  if (result.bytes < Math.max(minBytes, 1) && maxWait > 0 && !result.error) {
    const deadline = Date.now() + maxWait;
    while (result.bytes < Math.max(minBytes, 1) && Date.now() < deadline) {
      await ctx.broker.waitFor(topics.map((t) => t.name), deadline - Date.now(), signal.signal);
      result = read();
    }
  }
  // Sized up front: the batches are copied once into the response, not through the Encoder's doubling.
  const e = new Encoder(result.bytes + 1024 + 128 * result.topics.reduce((n, t) => n + t.partitions.length, 0)).writeInt32(0);
  if (v >= 7) e.writeInt16(ErrorCode.NONE).writeInt32(0);
  e.writeInt32(result.topics.length);
  for (const t of result.topics) {
    e.writeString(t.name).writeInt32(t.partitions.length);
    for (const p of t.partitions) {
      e.writeInt32(p.partition).writeInt16(p.error).writeInt64(p.highWatermark).writeInt64(p.highWatermark);
      if (v >= 5) e.writeInt64(0);
      e.writeInt32(-1); // aborted transactions: none
      if (v >= 11) e.writeInt32(-1);
      e.writeBytes(p.records.length ? encodeRecordBatch(p.records) : Buffer.alloc(0));
    }
  }
  return e;
};

function readAll(ctx: KafkaContext, topics: {name: string; partitions: FetchPartition[]}[], maxBytes: number) {
  let budget = maxBytes > 0 ? maxBytes : 50 * 1024 * 1024;
  let bytes = 0;
  let error = false;
  const out = topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      const reply = {partition: p.partition, error: ErrorCode.NONE as number, highWatermark: -1, records: [] as StoredRecord[]};
      const count = ctx.broker.store.partitionCount(t.name);
      if (count === undefined || p.partition < 0 || p.partition >= count) {
        error = true;
        return {...reply, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION};
      }
      const hw = ctx.broker.store.durableEnd(t.name, p.partition);
      reply.highWatermark = hw;
      if (p.offset < 0 || p.offset > hw) {
        error = true;
        return {...reply, error: ErrorCode.OFFSET_OUT_OF_RANGE};
      }
      let limit = Math.min(p.maxBytes, budget);
      let offset = p.offset;
      let used = 0;
      while (offset < hw && (reply.records.length === 0 || limit > 0)) {
        // As many rows as the byte limit takes at the sizes seen so far (a row read and not sent is wasted work).
        const avg = reply.records.length ? used / reply.records.length : 0;
        const rows = avg > 0 ? Math.min(READ_ROWS, Math.ceil(limit / avg) + 1) : FIRST_ROWS;
        const chunk = ctx.broker.store.read(t.name, p.partition, offset, rows, hw);
        if (chunk.length === 0) break;
        for (const rec of chunk) {
          const size = recordSize(rec);
          if (reply.records.length > 0 && size > limit) {
            limit = 0;
            break;
          }
          reply.records.push(rec);
          limit -= size;
          used += size;
          budget -= size;
          bytes += size;
          offset = rec.offset + 1;
        }
      }
      return reply;
    }),
  }));
  return {topics: out, bytes, error};
}

const READ_ROWS = 2000;
const FIRST_ROWS = 100;

/** ListOffsets v0-5: earliest (-2), latest (-1, the high watermark), or the first offset at or after a timestamp. */
export const listOffsets: Handler = async (r, v, ctx) => {
  r.readInt32(); // replica id
  if (v >= 2) r.readInt8();
  const topics = r.readArray((d) => ({
    name: d.str(),
    partitions: d.readArray((p: Reader) => {
      const partition = p.readInt32();
      if (v >= 4) p.readInt32();
      const timestamp = p.int64();
      if (v === 0) p.readInt32(); // max number of offsets
      return {partition, timestamp};
    }),
  }));
  const e = new Encoder();
  if (v >= 2) e.writeInt32(0);
  e.writeInt32(topics.length);
  for (const t of topics) {
    e.writeString(t.name).writeInt32(t.partitions.length);
    const count = ctx.broker.store.partitionCount(t.name);
    for (const p of t.partitions) {
      let error: number = ErrorCode.NONE;
      let offset = -1;
      let timestamp = -1;
      if (count === undefined || p.partition < 0 || p.partition >= count) error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      else if (p.timestamp === -1) offset = ctx.broker.store.durableEnd(t.name, p.partition);
      else if (p.timestamp === -2) offset = 0;
      else {
        const hit = ctx.broker.store.offsetForTime(t.name, p.partition, p.timestamp);
        if (hit && hit.offset < ctx.broker.store.durableEnd(t.name, p.partition)) [offset, timestamp] = [hit.offset, hit.timestamp];
      }
      e.writeInt32(p.partition).writeInt16(error);
      if (v === 0) {
        if (offset >= 0) e.writeInt32(1).writeInt64(offset);
        else e.writeInt32(0);
        continue;
      }
      e.writeInt64(timestamp).writeInt64(offset);
      if (v >= 4) e.writeInt32(0);
    }
  }
  return e;
};

export const DATA_HANDLERS = {
  [ApiKey.Produce]: produce,
  [ApiKey.Fetch]: fetch,
  [ApiKey.ListOffsets]: listOffsets,
};
