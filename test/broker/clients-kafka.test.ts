/**
 * dial pub / sub / topics --broker kafka:// (kafkajs) against the Kafka listener of a real
 * `dial cluster up`, with kcat (librdkafka) as the independent client on the other side; and the
 * default (no --broker, dial://) on the same log.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import protobuf from 'protobufjs';
import {ROOT, clusterSuite, runDial, startCluster, startDial} from '../helpers/cli.js';
import {freePort} from '../helpers/stores.js';
import {KCAT_MISSING, kcat, until} from './kafka-helpers.js';
import {waitForExit} from '../../src/runtime/index.js';

interface Rec {topic: string; partition: number; offset: number; key: string | null; headers: Record<string, string>; value: unknown; timestamp: number}
interface Up {pid: number; kafka: {bootstrap: string}}

const records = (stdout: string): Rec[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec);
const SCHEMA = join(ROOT, 'test', 'fixtures', 'codecs', 'sample.proto');
const CODEC = ['--codec', 'protobuf', '--schema', SCHEMA, '--type', 'sample.Sample'];

describe('dial --broker kafka:// against the cluster\'s Kafka listener', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  let bootstrap: string;
  let url: string;
  let kafkaPort: number;
  const env = () => ({DIAL_BROKER: url});
  before(async () => {
    kafkaPort = await freePort();
    bootstrap = (await startCluster(home, ['--demos', 'none', '--instances', '0', '--kafka-port', String(kafkaPort)])).json<Up>().kafka.bootstrap;
    url = `kafka://${bootstrap}`;
  });

  it('pub: keys pick partitions, offsets acknowledged; --partition; -d @- is one message per line', async () => {
    const first = await runDial(['pub', 'orders', '--broker', url, '--partitions', '3', '-d', '{"id":1}', '--key', 'c7', '-H', 'via: dial', '--json'], {home});
    assert.equal(first.code, 0, first.stderr);
    const [r0] = first.json<{results: {topic: string; partition: number; offset: number}[]}>().results;
    assert.equal(r0.offset, 0);
    const again = (await runDial(['pub', 'orders', '-d', '{"id":2}', '-k', 'c7', '--json'], {home, env: env()})).json<{results: {partition: number; offset: number}[]}>().results[0];
    assert.deepEqual(again, {topic: 'orders', partition: r0.partition, offset: 1}, 'the same key, the same partition, the next offset');
    const many = await runDial(['pub', 'orders', '-d', '@-', '--json'], {home, env: env(), input: 'a\nb\nc\nd\n'});
    assert.equal(many.code, 0, many.stderr);
    assert.equal(many.json<{results: unknown[]}>().results.length, 4);
    const pinned = await runDial(['pub', 'orders', '-d', 'pinned', '--partition', '2'], {home, env: env()});
    assert.match(pinned.stdout, /^orders partition 2 offset \d+$/m);
    const out = await runDial(['pub', 'orders', '-d', 'x', '--partition', '3'], {home, env: env()});
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--partition 3: 'orders' has 3 partition\(s\) \(0-2\)/);
  });

  it('kcat reads what dial published: keys, headers, partitions and offsets', {skip: KCAT_MISSING}, async () => {
    const c = await kcat(['-b', bootstrap, '-C', '-t', 'orders', '-e', '-q', '-o', 'beginning', '-f', '%p %o %k %h %s\\n']);
    assert.equal(c.code, 0, c.stderr);
    const rows = c.stdout.trim().split('\n').map((l) => l.split(' '));
    assert.equal(rows.length, 7);
    const keyed = rows.filter((r) => r[2] === 'c7');
    assert.deepEqual(keyed.map((r) => [r[1], r[4]]), [['0', '{"id":1}'], ['1', '{"id":2}']]);
    assert.equal(keyed[0][3], 'via=dial');
    assert.equal(new Set(keyed.map((r) => r[0])).size, 1);
    assert.ok(rows.some((r) => r[0] === '2' && r[4] === 'pinned'));
  });

  it('sub: what kcat produced, --json with partition, offset, key, headers, timestamp; -n; from the end without --from-beginning', {skip: KCAT_MISSING}, async () => {
    const input = Array.from({length: 9}, (_v, i) => `k${i % 3}:v${i}`).join('\n') + '\n';
    const p = await kcat(['-b', bootstrap, '-P', '-t', 'kc', '-K', ':', '-H', 'src=kcat', '-X', 'acks=all'], input);
    assert.equal(p.code, 0, p.stderr);
    const c = await kcat(['-b', bootstrap, '-C', '-t', 'kc', '-e', '-q', '-o', 'beginning', '-f', '%p %o %k %T %s\\n']);
    const truth = c.stdout.trim().split('\n').map((l) => l.split(' ')).map(([pa, o, k, ts, v]) => ({partition: Number(pa), offset: Number(o), key: k, timestamp: Number(ts), value: v}));
    const r = await runDial(['sub', 'kc', '--from-beginning', '--json'], {home, env: env()});
    assert.equal(r.code, 0, r.stderr);
    const got = records(r.stdout);
    const order = (x: {partition: number; offset: number}) => x.partition * 1e6 + x.offset;
    assert.deepEqual(got.map(({partition, offset, key, timestamp, value}) => ({partition, offset, key, timestamp, value})).sort((a, b) => order(a) - order(b)), truth.sort((a, b) => order(a) - order(b)));
    assert.ok(got.every((m) => m.topic === 'kc' && m.headers.src === 'kcat'));
    const two = await runDial(['sub', 'kc', '--from-beginning', '-n', '2', '--json'], {home, env: env()});
    assert.equal(records(two.stdout).length, 2);
    const fromEnd = await runDial(['sub', 'kc'], {home, env: env()});
    assert.equal(fromEnd.code, 0, fromEnd.stderr);
    assert.equal(fromEnd.stdout, '');
    assert.match(fromEnd.stderr, /no new messages in kc \(--from-beginning reads what is there/);
    const one = await runDial(['sub', 'kc', '--partition', String(truth[0].partition), '--offset', String(truth[0].offset), '-n', '1', '--json'], {home, env: env()});
    assert.deepEqual(records(one.stdout).map((m) => m.value), [truth[0].value]);
  });

  it('--group commits offsets: a second dial sub --group and kcat -G continue where it stopped', {skip: KCAT_MISSING}, async () => {
    const input = Array.from({length: 12}, (_v, i) => `g${i % 4}:m${i}`).join('\n') + '\n';
    assert.equal((await runDial(['pub', 'jobs', '--partitions', '3', '-d', 'seed', '-k', 'g0'], {home, env: env()})).code, 0);
    assert.equal((await kcat(['-b', bootstrap, '-P', '-t', 'jobs', '-K', ':', '-X', 'acks=all'], input)).code, 0);
    const a = await runDial(['sub', 'jobs', '--group', 'billing', '--from-beginning', '-n', '5', '--json'], {home, env: env()});
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stderr, /billing: member .*partitions \[0, 1, 2\]/);
    const first = records(a.stdout);
    assert.equal(first.length, 5);
    const b = await runDial(['sub', 'jobs', '--group', 'billing', '--from-beginning', '-n', '4', '--json'], {home, env: env()});
    const second = records(b.stdout);
    assert.equal(second.length, 4);
    const key = (m: {partition: number; offset: number}) => `${m.partition}:${m.offset}`;
    assert.equal(new Set([...first, ...second].map(key)).size, 9, 'no message twice');
    // kcat in the same group reads the rest, from the offsets dial committed
    const k = await kcat(['-b', bootstrap, '-G', 'billing', '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%p:%o %s\\n', 'jobs'], '', 30_000);
    assert.equal(k.code, 0, k.stderr);
    const rest = k.stdout.trim().split('\n').filter(Boolean);
    assert.equal(rest.length, 4);
    const all = new Set([...first, ...second].map(key).concat(rest.map((l) => l.split(' ')[0])));
    assert.equal(all.size, 13, 'dial and kcat together read each of the 13 messages once');
    const done = await runDial(['sub', 'jobs', '--group', 'billing', '--from-beginning'], {home, env: env()});
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stderr, /no messages in jobs/);
    const noCommit = await runDial(['sub', 'jobs', '--group', 'audit', '--from-beginning', '--no-commit', '-n', '3'], {home, env: env()});
    const noCommit2 = await runDial(['sub', 'jobs', '--group', 'audit', '--from-beginning', '-n', '13'], {home, env: env()});
    assert.equal(noCommit.stdout.trim().split('\n').length, 3);
    assert.equal(noCommit2.stdout.trim().split('\n').length, 13, '--no-commit left everything to the group');
  });

  it('dial topics --broker kafka:// lists partitions and offsets as kcat sees them', {skip: KCAT_MISSING}, async () => {
    const r = await runDial(['topics', '--json'], {home, env: env()});
    assert.equal(r.code, 0, r.stderr);
    const kc = r.json<{topics: {name: string; partitions: {partition: number; start: number; end: number}[]; messages: number}[]}>().topics.find((t) => t.name === 'kc');
    assert.ok(kc);
    const c = await kcat(['-b', bootstrap, '-C', '-t', 'kc', '-e', '-q', '-o', 'beginning', '-f', '%p\\n']);
    const perPartition = new Map<number, number>();
    for (const p of c.stdout.trim().split('\n')) perPartition.set(Number(p), (perPartition.get(Number(p)) ?? 0) + 1);
    assert.equal(kc.messages, 9);
    for (const p of kc.partitions) assert.equal(p.end - p.start, perPartition.get(p.partition) ?? 0, `partition ${p.partition}`);
    const text = await runDial(['topics', '--broker', url], {home});
    assert.match(text.stdout, /^kc\ttopic\t\d+ partition\(s\), 9 message\(s\)/m);
  });

  it('the default (no --broker) and dial:// share the log with kafka://', async () => {
    assert.equal((await runDial(['pub', 'shared', '-d', 'via-http', '-k', 'h'], {home})).code, 0);
    assert.equal((await runDial(['pub', 'shared', '--broker', 'dial://', '-d', 'via-dial-url'], {home})).code, 0);
    assert.equal((await runDial(['pub', 'shared', '-d', 'via-kafka'], {home, env: env()})).code, 0);
    for (const broker of [[], ['--broker', 'dial://'], ['--broker', url]]) {
      const r = await runDial(['sub', 'shared', '--from-beginning', ...broker], {home});
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split('\n').sort(), ['via-dial-url', 'via-http', 'via-kafka'], broker.join(' '));
    }
    const local = await runDial(['topics', '--json'], {home});
    assert.equal(local.json<{broker: string; topics: {name: string; messages: number}[]}>().topics.find((t) => t.name === 'shared')?.messages, 3);
  });

  it('--codec protobuf: dial encodes, kcat carries the bytes protobufjs reads, dial decodes; a value off the schema is exit 2', {skip: KCAT_MISSING}, async () => {
    const type = (await protobuf.load(SCHEMA)).lookupType('sample.Sample');
    const value = {name: 'ada', small: 7, tags: ['x']};
    assert.equal((await runDial(['pub', 'samples', ...CODEC, '-d', JSON.stringify(value)], {home, env: env()})).code, 0);
    const raw = await kcat(['-b', bootstrap, '-C', '-t', 'samples', '-e', '-q', '-o', 'beginning', '-c', '1', '-f', '%s']);
    assert.deepEqual(type.toObject(type.decode(Buffer.from(raw.stdout, 'latin1'))), value);
    const r = await runDial(['sub', 'samples', ...CODEC, '--from-beginning', '--json'], {home, env: env()});
    assert.deepEqual(records(r.stdout).map((m) => m.value), [value]);
    const bad = await runDial(['pub', 'samples', ...CODEC, '-d', '{"nope":1}'], {home, env: env()});
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /the value does not fit protobuf sample\.Sample.*no field 'nope'/);
  });

  it('bad input: unreachable broker (exit 3), invalid names (exit 2), a name the broker refuses (exit 1)', async () => {
    const port = await freePort();
    const dead = await runDial(['pub', 'x', '--broker', `kafka://127.0.0.1:${port}`, '-d', 'a'], {home});
    assert.equal(dead.code, 3);
    assert.match(dead.stderr, new RegExp(`cannot reach Kafka at 127\\.0\\.0\\.1:${port}.*\\n.*start the broker, or check --broker / DIAL_BROKER`));
    const deadSub = await runDial(['sub', 'x', '--json'], {home, env: {DIAL_BROKER: `kafka://127.0.0.1:${port}`}});
    assert.equal(deadSub.code, 3);
    assert.match(deadSub.json<{error: {message: string}}>().error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    for (const name of ['bad topic', '..', 'x'.repeat(250)]) {
      const r = await runDial(['pub', name, '-d', 'a'], {home, env: env()});
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /is not a valid Kafka topic name/);
    }
    const refused = await runDial(['pub', 'dial.events', '-d', 'a'], {home, env: env()});
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Kafka at 127\.0\.0\.1:\d+: produce to 'dial\.events': .*authorization failed/i);
    const badUrl = await runDial(['pub', 'x', '--broker', 'kafka://', '-d', 'a'], {home});
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /names no host/);
  });

  it('the daemon killed during dial sub --group --follow: exit 3; after a restart the group loses nothing', async (t) => {
    const values = Array.from({length: 30}, (_v, i) => `e${i}`);
    assert.equal((await runDial(['pub', 'ledger', '--partitions', '2', '-d', '@-'], {home, env: env(), input: values.slice(0, 20).join('\n') + '\n'})).code, 0);
    const s = startDial(t, ['sub', 'ledger', '--group', 'books', '--from-beginning', '--follow'], {home, env: env()});
    await until('20 messages printed', () => s.out().split('\n').length > 20, 30_000);
    const {pid} = JSON.parse(readFileSync(join(home, 'cluster.json'), 'utf8')) as Up;
    process.kill(pid, 'SIGKILL');
    assert.ok(await waitForExit(pid, 5000));
    assert.equal(await s.exited, 3, s.err());
    assert.match(s.err(), /lost the connection to Kafka at 127\.0\.0\.1:\d+ after 20 message\(s\)/);
    assert.match(s.err(), /run the command again when it is back/);
    const before = s.out().trim().split('\n');
    await startCluster(home, ['--demos', 'none', '--instances', '0', '--kafka-port', String(kafkaPort)]);
    assert.equal((await runDial(['pub', 'ledger', '-d', '@-'], {home, env: env(), input: values.slice(20).join('\n') + '\n'})).code, 0);
    const after2 = await runDial(['sub', 'ledger', '--group', 'books', '--from-beginning'], {home, env: env()});
    assert.equal(after2.code, 0, after2.stderr);
    const later = after2.stdout.trim().split('\n');
    assert.deepEqual([...new Set([...before, ...later])].sort(), [...values].sort(), 'every message printed once at least');
    assert.ok(values.slice(20).every((v) => later.includes(v)));
  });
});
