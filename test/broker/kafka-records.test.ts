/**
 * The record-batch reader shared by the listener's Produce and dial's Kafka reader (src/broker/kafka/records.ts),
 * against batches made by an independent encoder: kafkajs's RecordBatch and Record (gzip through its codec).
 */
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {describe, it} from 'node:test';
import {crc32C} from '../../src/broker/kafka/crc.js';
import {encodeRecordBatch} from '../../src/broker/kafka/record-encoder.js';
import {decodeFetchedRecords, decodeRecordBatches, parseHeaders, RecordsError} from '../../src/broker/kafka/records.js';

const require = createRequire(import.meta.url);
type Long = unknown;
const Long = require('kafkajs/src/utils/long') as {fromValue(v: number): Long};
const {RecordBatch} = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {RecordBatch: (o: {
  compression?: number; firstOffset?: Long; firstTimestamp?: number; maxTimestamp?: number; lastOffsetDelta?: number; transactional?: boolean; producerId?: Long; records: unknown[];
}) => Promise<{buffer: Buffer}>};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (o: {offsetDelta?: number; timestampDelta?: number; key: Buffer | null; value: Buffer | null; headers?: Record<string, Buffer>}) => unknown;

const T0 = 1_700_000_000_000;

/** A batch (kafkajs) of `values` at offsets `first`.., each record `i` stamped T0 + 10 * i, key `k<i>`. */
async function batch(first: number, values: string[], o: {gzip?: boolean; transactional?: boolean; producerId?: number; headers?: Record<string, Buffer>} = {}): Promise<Buffer> {
  const records = values.map((v, i) => Record({offsetDelta: i, timestampDelta: 10 * i, key: Buffer.from(`k${i}`), value: Buffer.from(v), headers: o.headers}));
  const e = await RecordBatch({
    compression: o.gzip ? 1 : 0, firstOffset: Long.fromValue(first), firstTimestamp: T0, maxTimestamp: T0 + 10 * (values.length - 1), lastOffsetDelta: values.length - 1,
    transactional: o.transactional, producerId: Long.fromValue(o.producerId ?? -1), records,
  });
  return e.buffer;
}

/** The same batch with other attributes (control, LogAppendTime ...), its CRC made again. */
function withAttributes(b: Buffer, attributes: number): Buffer {
  const out = Buffer.from(b);
  out.writeInt16BE(attributes, 21);
  out.writeUInt32BE(crc32C(out.subarray(21)), 17);
  return out;
}

const values = (r: {records: {value: Buffer | null}[]}) => r.records.map((x) => x.value?.toString());

describe('Kafka record batches: decodeFetchedRecords and decodeRecordBatches', () => {
  it('several batches: offsets, timestamps, keys, values and headers, the next offset after the last', async () => {
    const buf = Buffer.concat([await batch(0, ['a', 'b'], {headers: {trace: Buffer.from('t1')}}), await batch(2, ['c'])]);
    const r = await decodeFetchedRecords(buf, 0);
    assert.deepEqual(r.records.map((x) => [x.offset, x.timestamp, x.key?.toString(), x.value?.toString()]), [[0, T0, 'k0', 'a'], [1, T0 + 10, 'k1', 'b'], [2, T0, 'k0', 'c']]);
    assert.deepEqual(parseHeaders(r.records[0].headers).map(([k, v]) => [k, v?.toString()]), [['trace', 't1']]);
    assert.equal(r.records[2].headers, null);
    assert.equal(r.nextOffset, 3);
    assert.equal(r.truncated, false);
    // the listener's produce path reads the same bytes, detached copies
    const produced = await decodeRecordBatches(buf);
    assert.deepEqual(produced.map((x) => x.value?.toString()), ['a', 'b', 'c']);
    assert.deepEqual(parseHeaders(produced[1].headers).map(([k]) => k), ['trace']);
  });

  it('gzip batches (kafkajs\'s codec) decode for the client and the listener alike', async () => {
    const many = Array.from({length: 50}, (_v, i) => `value-${i}`.repeat(20));
    const buf = Buffer.concat([await batch(5, many.slice(0, 30), {gzip: true}), await batch(35, many.slice(30), {gzip: true})]);
    const r = await decodeFetchedRecords(buf, 5);
    assert.deepEqual(values(r), many);
    assert.deepEqual(r.records.map((x) => x.offset), Array.from({length: 50}, (_v, i) => 5 + i));
    assert.equal(r.nextOffset, 55);
    assert.deepEqual((await decodeRecordBatches(buf)).map((x) => x.value?.toString()), many);
  });

  it('a last batch cut short by the fetch size is left for the next fetch; a first one cut short says so', async () => {
    const one = await batch(0, ['a', 'b']);
    const two = await batch(2, ['c', 'd']);
    const cut = Buffer.concat([one, two]).subarray(0, one.length + two.length - 7);
    const r = await decodeFetchedRecords(cut, 0);
    assert.deepEqual(values(r), ['a', 'b']);
    assert.equal(r.nextOffset, 2);
    assert.equal(r.truncated, false);
    const head = await decodeFetchedRecords(one.subarray(0, 40), 0);
    assert.deepEqual(head, {records: [], nextOffset: 0, truncated: true});
    // a produce request cut short is corrupt, not a partial fetch
    await assert.rejects(decodeRecordBatches(cut), (e: unknown) => e instanceof RecordsError && /does not fit|too short/.test(e.message));
  });

  it('a start in mid-batch (or a compacted log) drops the records below the start offset', async () => {
    const r = await decodeFetchedRecords(Buffer.concat([await batch(10, ['a', 'b', 'c', 'd', 'e']), await batch(15, ['f'])]), 12);
    assert.deepEqual(r.records.map((x) => [x.offset, x.value?.toString()]), [[12, 'c'], [13, 'd'], [14, 'e'], [15, 'f']]);
    const past = await decodeFetchedRecords(await batch(0, ['a', 'b']), 7);
    assert.deepEqual(past, {records: [], nextOffset: 7, truncated: false}, 'a batch wholly below the start moves nothing');
  });

  it('skips control batches and the records of aborted transactions, keeps committed ones', async () => {
    const txn = await batch(0, ['t0', 't1'], {transactional: true, producerId: 7});
    // an abort marker (control record: version 0, type 0) of producer 7 at offset 2
    const marker = withAttributes(await batch(2, ['']), 0x10 | 0x20).subarray(0);
    const markerOf7 = Buffer.from(marker);
    markerOf7.writeInt32BE(0, 43);
    markerOf7.writeInt32BE(7, 47);
    markerOf7.writeUInt32BE(crc32C(markerOf7.subarray(21)), 17);
    const after = await batch(3, ['plain']);
    const buf = Buffer.concat([txn, markerOf7, after]);
    const aborted = await decodeFetchedRecords(buf, 0, [{producerId: 7, firstOffset: 0}]);
    assert.deepEqual(aborted.records.map((x) => [x.offset, x.value?.toString()]), [[3, 'plain']]);
    assert.equal(aborted.nextOffset, 4, 'past the marker and the aborted records');
    const committed = await decodeFetchedRecords(buf, 0);
    assert.deepEqual(values(committed), ['t0', 't1', 'plain'], 'without an aborted transaction listed: committed, read; the marker still skipped');
    const otherProducer = await decodeFetchedRecords(buf, 0, [{producerId: 8, firstOffset: 0}]);
    assert.deepEqual(values(otherProducer), ['t0', 't1', 'plain']);
  });

  it('LogAppendTime batches carry the broker\'s time (the max timestamp) on every record', async () => {
    const r = await decodeFetchedRecords(withAttributes(await batch(0, ['a', 'b', 'c']), 0x08), 0);
    assert.deepEqual(r.records.map((x) => x.timestamp), [T0 + 20, T0 + 20, T0 + 20]);
  });

  it('reads what the listener\'s own encoder writes (Fetch), and refuses a CRC mismatch', async () => {
    const stored = [0, 1, 2].map((i) => ({offset: 40 + i, timestamp: T0 + i, key: i === 1 ? null : Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), headers: null}));
    const r = await decodeFetchedRecords(encodeRecordBatch(stored as never), 41);
    assert.deepEqual(r.records.map((x) => [x.offset, x.timestamp, x.key?.toString() ?? null, x.value?.toString()]), [[41, T0 + 1, null, 'v1'], [42, T0 + 2, 'k2', 'v2']]);
    const bad = await batch(0, ['a']);
    bad[bad.length - 1] ^= 0xff;
    await assert.rejects(decodeFetchedRecords(bad, 0), (e: unknown) => e instanceof RecordsError && /CRC-32C mismatch/.test(e.message));
  });
});
