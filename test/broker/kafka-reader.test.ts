/**
 * dial sub --broker kafka:// without --group (src/broker/clients/kafka-reader.ts: no consumer group, Metadata,
 * ListOffsets and Fetch) against the Kafka listener in-process, kcat producing and reading the truth.
 */
import assert from 'node:assert/strict';
import {rmSync} from 'node:fs';
import {after, before, describe, it} from 'node:test';
import {Kafka, logLevel} from 'kafkajs';
import {runDial, startDial, tempHome} from '../helpers/cli.js';
import {freePort} from '../helpers/stores.js';
import {KCAT_MISSING, kcat, localKafka, sleep, until, type LocalKafka} from './kafka-helpers.js';

interface Rec {topic: string; partition: number; offset: number; key: string | null; headers: Record<string, string>; value: string; timestamp: number}
const records = (stdout: string): Rec[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec);
const order = (x: {partition: number; offset: number}) => x.partition * 1e6 + x.offset;

describe('dial sub --broker kafka:// without a group', {skip: KCAT_MISSING, concurrency: false}, () => {
  let k: LocalKafka;
  let url: string;
  const home = tempHome();
  before(async () => {
    k = await localKafka();
    url = `kafka://${k.bootstrap}`;
  });
  after(async () => {
    await k.close().catch(() => undefined);
    rmSync(home, {recursive: true, force: true});
  });

  it('reads every partition, gzip and plain batches, as kcat does; -n; from the end alone; no consumer group joined', async () => {
    const keyed = Array.from({length: 40}, (_v, i) => `k${i % 7}:gz${i}`).join('\n') + '\n';
    assert.equal((await kcat(['-b', k.bootstrap, '-P', '-t', 'multi', '-K', ':', '-z', 'gzip', '-H', 'src=kcat', '-X', 'acks=all'], keyed)).code, 0);
    assert.equal((await kcat(['-b', k.bootstrap, '-P', '-t', 'multi', '-K', ':', '-X', 'acks=all'], Array.from({length: 20}, (_v, i) => `p${i % 5}:plain${i}`).join('\n') + '\n')).code, 0);
    const c = await kcat(['-b', k.bootstrap, '-C', '-t', 'multi', '-e', '-q', '-o', 'beginning', '-f', '%p %o %k %T %s\\n']);
    const truth = c.stdout.trim().split('\n').map((l) => l.split(' ')).map(([p, o, key, ts, value]) => ({partition: Number(p), offset: Number(o), key, timestamp: Number(ts), value}));
    assert.equal(truth.length, 60);
    assert.ok(new Set(truth.map((t) => t.partition)).size > 1, 'the keys spread over several partitions');
    const r = await runDial(['sub', 'multi', '--broker', url, '--from-beginning', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const got = records(r.stdout);
    assert.deepEqual(got.map(({partition, offset, key, timestamp, value}) => ({partition, offset, key, timestamp, value})).sort((a, b) => order(a) - order(b)), truth.sort((a, b) => order(a) - order(b)));
    assert.ok(got.filter((m) => m.value.startsWith('gz')).every((m) => m.headers.src === 'kcat'));
    assert.deepEqual(Object.keys(got[0]), ['topic', 'partition', 'offset', 'key', 'headers', 'timestamp', 'value'], 'the --json record shape of every broker');
    const text = await runDial(['sub', 'multi', '--broker', url, '--from-beginning'], {home});
    assert.deepEqual(text.stdout.trim().split('\n').sort(), truth.map((t) => t.value).sort());
    const seven = await runDial(['sub', 'multi', '--broker', url, '--from-beginning', '-n', '7'], {home});
    assert.equal(seven.stdout.trim().split('\n').length, 7);
    const fromEnd = await runDial(['sub', 'multi', '--broker', url], {home});
    assert.equal(fromEnd.code, 0, fromEnd.stderr);
    assert.equal(fromEnd.stdout, '');
    assert.match(fromEnd.stderr, /no new messages in multi/);
    const admin = new Kafka({clientId: 'dial-test', brokers: [k.bootstrap], logLevel: logLevel.NOTHING}).admin();
    await admin.connect();
    try {
      assert.deepEqual((await admin.listGroups()).groups, [], 'no consumer group was joined');
    } finally {
      await admin.disconnect();
    }
  });

  it('--follow prints what is produced after it started (not what was there), also on a topic that appears meanwhile', async (t) => {
    const next = startDial(t, ['sub', 'multi', '--broker', url, '--follow', '-n', '2'], {home});
    await sleep(1500);
    assert.equal((await kcat(['-b', k.bootstrap, '-P', '-t', 'multi', '-X', 'acks=all'], 'new1\nnew2\n')).code, 0);
    assert.equal(await next.exited, 0, next.err());
    assert.deepEqual(next.out().trim().split('\n').sort(), ['new1', 'new2']);
    const later = startDial(t, ['sub', 'later', '--broker', url, '--follow', '--json'], {home});
    await sleep(1200);
    assert.equal((await kcat(['-b', k.bootstrap, '-P', '-t', 'later', '-X', 'acks=all'], 'first\nsecond\n')).code, 0);
    await until('both messages of the new topic', () => records(later.out()).length === 2, 15_000);
    assert.deepEqual(records(later.out()).map((m) => m.value).sort(), ['first', 'second']);
  });

  it('a topic that does not exist: nothing, exit 0; a --partition it does not have: exit 2; an unreachable broker: exit 3', async () => {
    const none = await runDial(['sub', 'nowhere', '--broker', url, '--from-beginning'], {home});
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /no messages in nowhere/);
    const part = await runDial(['sub', 'multi', '--broker', url, '--partition', '9'], {home});
    assert.equal(part.code, 2);
    assert.match(part.stderr, /--partition 9: 'multi' has 3 partition\(s\) \(0-2\)/);
    const port = await freePort();
    const dead = await runDial(['sub', 'multi', '--broker', `kafka://127.0.0.1:${port}`, '--from-beginning'], {home});
    assert.equal(dead.code, 3);
    assert.match(dead.stderr, new RegExp(`cannot reach Kafka at 127\\.0\\.0\\.1:${port} \\(connection refused\\)`));
  });

  it('the broker gone in the middle of --follow: exit 3, naming the broker and what was printed', async (t) => {
    const s = startDial(t, ['sub', 'multi', '--broker', url, '--follow', '--from-beginning'], {home});
    await until('the topic printed', () => s.out().trim().split('\n').length >= 62, 15_000);
    await k.close();
    assert.equal(await s.exited, 3, s.err());
    assert.match(s.err(), /lost the connection to Kafka at 127\.0\.0\.1:\d+ after 62 message\(s\)/);
  });
});
