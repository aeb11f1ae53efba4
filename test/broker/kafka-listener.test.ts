import assert from 'node:assert/strict';
import {connect, type Socket} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {CompressionTypes, Kafka, logLevel} from 'kafkajs';
import {KCAT_MISSING, kcat, localKafka, type LocalKafka} from './kafka-helpers.js';

let k: LocalKafka;
before(async () => {
  k = await localKafka();
});
after(() => k.close());

const client = () => new Kafka({clientId: 'dial-test', brokers: [k.bootstrap], logLevel: logLevel.NOTHING, retry: {retries: 5, initialRetryTime: 100}});

describe('Kafka listener: kcat', {skip: KCAT_MISSING}, () => {
  it('kcat produces with keys and headers; kcat and the HTTP side read them back exactly', async () => {
    const p = await kcat(['-b', k.bootstrap, '-P', '-t', 'kc', '-K', ':', '-H', 'trace=abc', '-H', 'n=1', '-X', 'acks=all'], 'k1:one\nk2:two\nk1:three\n');
    assert.equal(p.code, 0, p.stderr);
    const c = await kcat(['-b', k.bootstrap, '-C', '-t', 'kc', '-e', '-q', '-o', 'beginning', '-f', '%k|%s|%h|%p|%o\\n']);
    assert.equal(c.code, 0, c.stderr);
    const lines = c.stdout.trim().split('\n').sort();
    assert.equal(lines.length, 3);
    for (const l of lines) assert.match(l, /^k[12]\|(one|two|three)\|trace=abc,n=1\|[0-2]\|\d$/);
    const k1 = lines.filter((l) => l.startsWith('k1|'));
    assert.equal(new Set(k1.map((l) => l.split('|')[3])).size, 1, 'one key, one partition');
    assert.deepEqual(k1.map((l) => l.split('|')[1]), ['one', 'three'], 'in produce order');
    const http = await k.broker.fetch('kc', {}, {max: 10, waitMs: 0, from: 'beginning'});
    assert.deepEqual(http.messages.map((m) => m.value).sort(), ['one', 'three', 'two']);
    assert.deepEqual(http.messages[0].headers, {trace: 'abc', n: '1'});
  });

  it('kcat produces snappy and lz4 batches (decompressed, read back exactly); zstd is refused with UNSUPPORTED_COMPRESSION_TYPE', async () => {
    for (const codec of ['snappy', 'lz4']) {
      const values = Array.from({length: 200}, (_v, i) => `${codec}-${i}-${'z'.repeat(i)}`);
      const p = await kcat(['-b', k.bootstrap, '-P', '-t', `c-${codec}`, '-z', codec], values.join('\n') + '\n');
      assert.equal(p.code, 0, p.stderr);
      const c = await kcat(['-b', k.bootstrap, '-C', '-t', `c-${codec}`, '-e', '-q', '-o', 'beginning']);
      assert.deepEqual(c.stdout.trim().split('\n').sort(), values.sort(), codec);
    }
    // Compressible values: librdkafka sends a batch uncompressed when compression would not make it smaller.
    const z = await kcat(['-b', k.bootstrap, '-P', '-t', 'c-zstd', '-z', 'zstd', '-X', 'message.send.max.retries=0'], `${'z'.repeat(4000)}\n`.repeat(10));
    assert.match(z.stderr, /Delivery failed.*(compression|Unsupported)/is, z.stderr);
    assert.equal(k.broker.store.end('c-zstd', 0) + k.broker.store.end('c-zstd', 1) + k.broker.store.end('c-zstd', 2), 0);
  });

  it('kcat reads what the HTTP API (dial pub) published, text as text', async () => {
    await k.broker.publish('from-dial', [{key: 'customer-7', value: '{"id":1}', headers: {src: 'dial'}}]);
    const c = await kcat(['-b', k.bootstrap, '-C', '-t', 'from-dial', '-e', '-q', '-o', 'beginning', '-f', '%k %s %h\\n']);
    assert.equal(c.stdout, 'customer-7 {"id":1} src=dial\n');
  });

  it('a kcat group (-G) commits what it read: the next run reads only newer messages', async () => {
    await kcat(['-b', k.bootstrap, '-P', '-t', 'grp', '-K', ':'], Array.from({length: 20}, (_v, i) => `k${i % 5}:m${i}`).join('\n') + '\n');
    const first = await kcat(['-b', k.bootstrap, '-G', 'billing', '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%s\\n', 'grp']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim().split('\n').length, 20);
    await kcat(['-b', k.bootstrap, '-P', '-t', 'grp'], 'later-1\nlater-2\n');
    const second = await kcat(['-b', k.bootstrap, '-G', 'billing', '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%s\\n', 'grp']);
    assert.deepEqual(second.stdout.trim().split('\n').sort(), ['later-1', 'later-2']);
    const committed = k.broker.store.committed('billing', 'grp');
    assert.equal(Object.values(committed).reduce((a, b) => a + b, 0), 22, 'offsets in the shared store');
  });
});

describe('Kafka listener: kafkajs', () => {
  it('kafkajs produces gzip batches with binary keys, values and headers; bytes round-trip exactly', async () => {
    const producer = client().producer({allowAutoTopicCreation: true});
    await producer.connect();
    const bin = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x7f]);
    const msgs = Array.from({length: 50}, (_v, i) => ({key: i === 0 ? bin : `key-${i % 3}`, value: i === 0 ? bin : `value ${i}`, headers: {h: i === 0 ? bin : `h${i}`}}));
    const acks = await producer.send({topic: 'zipped', compression: CompressionTypes.GZIP, acks: -1, messages: msgs});
    assert.ok(acks.every((a) => a.errorCode === 0));
    await producer.disconnect();
    const consumer = client().consumer({groupId: 'zip-reader', maxWaitTimeInMs: 100});
    await consumer.connect();
    await consumer.subscribe({topics: ['zipped'], fromBeginning: true});
    const got: {key: Buffer | null; value: Buffer | null; h: unknown}[] = [];
    await consumer.run({eachMessage: async ({message}) => void got.push({key: message.key, value: message.value, h: message.headers?.h})});
    const deadline = Date.now() + 15_000;
    while (got.length < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await consumer.disconnect();
    assert.equal(got.length, 50);
    const first = got.find((g) => g.key?.equals(bin));
    assert.ok(first, 'the binary key arrived');
    assert.ok(first.value?.equals(bin) && Buffer.isBuffer(first.h) && first.h.equals(bin), 'binary value and header unchanged');
    const http = await k.broker.fetch('zipped', {}, {max: 100, waitMs: 0, from: 'beginning'});
    const b = http.messages.find((m) => m.binary);
    assert.deepEqual(b?.binary, ['key', 'value', 'headers.h']);
    assert.equal(b?.value, bin.toString('base64'));
  });

  it('admin: create topics, list offsets earliest/latest/by time, describe and list groups', async () => {
    const admin = client().admin();
    await admin.connect();
    assert.equal(await admin.createTopics({topics: [{topic: 'made', numPartitions: 2}]}), true);
    await assert.rejects(admin.createTopics({topics: [{topic: 'bad', numPartitions: 2, replicationFactor: 3}], validateOnly: false}), (e: {errors?: {type: string}[]}) => e.errors?.[0]?.type === 'INVALID_REPLICATION_FACTOR');
    await k.broker.publish('made', [{key: 'a', value: 'x'}, {key: 'a', value: 'y'}]);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    const [late] = await k.broker.publish('made', [{key: 'a', value: 'z'}]);
    const offsets = await admin.fetchTopicOffsets('made');
    const p = offsets.find((o) => o.partition === late.partition)!;
    assert.equal(p.low, '0');
    assert.equal(p.high, '3');
    const byTime = await admin.fetchTopicOffsetsByTimestamp('made', t0 + 10);
    assert.equal(byTime.find((o) => o.partition === late.partition)?.offset, '2');
    const groups = await admin.listGroups();
    assert.ok(groups.groups.some((g) => g.groupId === 'zip-reader'));
    const d = await admin.describeGroups(['zip-reader']);
    assert.equal(d.groups[0].state, 'Empty');
    await admin.disconnect();
  });
});

/** One raw request frame: size, api key, version, correlation id, client id, body. */
function frame(apiKey: number, version: number, correlationId: number, body = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(4 + 2 + 2 + 4 + 2);
  head.writeInt32BE(10 + body.length, 0);
  head.writeInt16BE(apiKey, 4);
  head.writeInt16BE(version, 6);
  head.writeInt32BE(correlationId, 8);
  head.writeInt16BE(-1, 12);
  return Buffer.concat([head, body]);
}

function rawExchange(data: Buffer, expectClose = false): Promise<{reply: Buffer; closed: boolean}> {
  return new Promise((resolve, reject) => {
    const [host, port] = k.bootstrap.split(':');
    const s: Socket = connect(Number(port), host);
    let reply = Buffer.alloc(0);
    const timer = setTimeout(() => {
      s.destroy();
      resolve({reply, closed: false});
    }, expectClose ? 3000 : 500);
    s.on('data', (d) => (reply = Buffer.concat([reply, d])));
    s.on('close', () => {
      clearTimeout(timer);
      resolve({reply, closed: true});
    });
    s.on('error', reject);
    s.write(data);
  });
}

describe('Kafka listener: bad input', () => {
  it('an unsupported version gets UNSUPPORTED_VERSION (ApiVersions in its v0 form) and the connection stays usable', async () => {
    const {reply, closed} = await rawExchange(Buffer.concat([frame(0, 99, 7), frame(18, 3, 8), frame(18, 0, 9), frame(1234, 0, 10)]));
    assert.equal(closed, false);
    assert.equal(reply.readInt32BE(4), 7);
    assert.equal(reply.readInt16BE(8), 35, 'Produce v99: UNSUPPORTED_VERSION');
    let at = 4 + reply.readInt32BE(0);
    assert.equal(reply.readInt32BE(at + 4), 8);
    assert.equal(reply.readInt16BE(at + 8), 35, 'ApiVersions v3: UNSUPPORTED_VERSION...');
    assert.ok(reply.readInt32BE(at + 10) >= 15, '...with the supported versions (v0 form)');
    at += 4 + reply.readInt32BE(at);
    assert.equal(reply.readInt32BE(at + 4), 9);
    assert.equal(reply.readInt16BE(at + 8), 0, 'ApiVersions v0 answered');
    at += 4 + reply.readInt32BE(at);
    assert.equal(reply.readInt32BE(at + 4), 10);
    assert.equal(reply.readInt16BE(at + 8), 35, 'an unknown API key: UNSUPPORTED_VERSION');
  });

  it('malformed frames close that connection only; the listener keeps serving', async () => {
    const bad = [
      Buffer.from([0xff, 0xff, 0xff, 0xfb]), // negative size
      Buffer.from([0x7f, 0xff, 0xff, 0xff]), // 2 GiB frame
      (() => {
        const f = frame(3, 1, 1, Buffer.from([0x00, 0x00, 0x00, 0x05, 0x00])); // Metadata: 5 topics announced, none there
        return f;
      })(),
      frame(0, 3, 2, Buffer.from([0xff])), // Produce cut short
    ];
    for (const b of bad) {
      const {closed} = await rawExchange(b, true);
      assert.equal(closed, true, `closed after ${b.toString('hex').slice(0, 40)}`);
    }
    const admin = client().admin();
    await admin.connect();
    assert.ok((await admin.listTopics()).includes('zipped'), 'still serving');
    await admin.disconnect();
  });

  it('a corrupt record batch (CRC) is refused with CORRUPT_MESSAGE, nothing appended', async () => {
    const producer = client().producer({retry: {retries: 0}});
    await producer.connect();
    await producer.send({topic: 'crc', messages: [{value: 'ok'}]});
    await producer.disconnect();
    const before = k.broker.store.end('crc', 0) + k.broker.store.end('crc', 1) + k.broker.store.end('crc', 2);
    // Produce v3 by hand: one batch whose CRC does not match.
    const batch = Buffer.alloc(61 + 8);
    batch.writeInt32BE(61 + 8 - 12, 8);
    batch.writeInt8(2, 16);
    batch.writeUInt32BE(0xdeadbeef, 17);
    batch.writeInt32BE(1, 57);
    const body = Buffer.concat([
      Buffer.from([0xff, 0xff]), Buffer.from([0xff, 0xff]), Buffer.from([0, 0, 0x75, 0x30]), // txn id null, acks -1, timeout
      Buffer.from([0, 0, 0, 1, 0, 3]), Buffer.from('crc'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 0]), // 1 topic 'crc', 1 partition: 0
      Buffer.from([0, 0, 0, batch.length]), batch,
    ]);
    const {reply} = await rawExchange(frame(0, 3, 42, body));
    assert.equal(reply.readInt32BE(4), 42);
    // topics[1] name 'crc' partitions[1] index 0, then the error code
    assert.equal(reply.readInt16BE(8 + 4 + 2 + 3 + 4 + 4), 2, 'CORRUPT_MESSAGE');
    assert.equal(k.broker.store.end('crc', 0) + k.broker.store.end('crc', 1) + k.broker.store.end('crc', 2), before);
  });
});

describe('Kafka listener: codecs', () => {
  it('snappy in xerial framing (what the Java client sends) decompresses block by block', async () => {
    const {compressSync} = (await import('snappy')).default as unknown as {compressSync(b: Buffer): Buffer};
    const parts = [Buffer.from('first block '), Buffer.from('second block')];
    const head = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
    const framed = Buffer.concat([head, ...parts.flatMap((p) => {
      const c = compressSync(p);
      const n = Buffer.alloc(4);
      n.writeInt32BE(c.length);
      return [n, c];
    })]);
    const {decompressor} = await import('../../src/broker/kafka/codecs.js');
    assert.equal((await decompressor(2)!(framed)).toString(), 'first block second block');
    assert.equal(decompressor(4), null, 'zstd: not available');
  });
});
