/**
 * dial pub / sub / topics --broker mqtt:// against a real Mosquitto (Debian
 * mosquitto), with mosquitto_pub / mosquitto_sub as the independent clients.
 */
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import protobuf from 'protobufjs';
import {ROOT, runDial, startDial, tempHome, type BackgroundDial} from '../helpers/cli.js';
import {MOSQUITTO_MISSING, MOSQUITTO_PUB, MOSQUITTO_SUB, startMosquitto} from '../helpers/brokers.js';

const SCHEMA = join(ROOT, 'test', 'fixtures', 'codecs', 'sample.proto');

function run(bin: string, args: string[], timeoutMs = 20_000): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(bin, args, {timeout: timeoutMs, encoding: 'utf8'}, (e, stdout, stderr) => resolve({code: e ? ((e as {code?: number}).code ?? -1) : 0, stdout, stderr}));
  });
}

describe('dial --broker mqtt:// (Mosquitto)', {skip: MOSQUITTO_MISSING}, () => {
  let mq: Exclude<Awaited<ReturnType<typeof startMosquitto>>, string>;
  const home = tempHome();
  const files = mkdtempSync(join(tmpdir(), 'dial-mqtt-files-'));
  const dial = (args: string[], opts: {env?: Record<string, string>; input?: string} = {}) => runDial([...args, ...(opts.env?.DIAL_BROKER ? [] : ['--broker', mq.url])], {home, ...opts});
  const bg = (t: Parameters<typeof startDial>[0], args: string[]) => startDial(t, [...args, '--broker', mq.url], {home});
  const pub = (args: string[]) => run(MOSQUITTO_PUB, ['-h', '127.0.0.1', '-p', String(mq.port), '-V', 'mqttv5', ...args]);
  const sub = (args: string[]) => run(MOSQUITTO_SUB, ['-h', '127.0.0.1', '-p', String(mq.port), '-V', 'mqttv5', '-W', '40', ...args], 45_000);

  before(async () => {
    const r = await startMosquitto();
    if (typeof r === 'string') throw new Error(r);
    mq = r;
  });
  after(async () => {
    await mq?.stop();
    rmSync(home, {recursive: true, force: true});
    rmSync(files, {recursive: true, force: true});
  });

  /** The broker's log so far: a mark to wait for subscriptions made after it. */
  const mark = () => mq.log().length;
  /** Waits (bounded) until the broker logged `n` subscriptions to `filter` after `from` (log_type subscribe: 'CLIENT QOS FILTER'). */
  async function subscribed(from: number, filter: string, n = 1, procs: BackgroundDial[] = []): Promise<void> {
    const deadline = Date.now() + 20_000;
    const count = () => mq.log().slice(from).split('\n').filter((l) => l.endsWith(` ${filter}`)).length;
    while (count() < n) {
      if (Date.now() > deadline) throw new Error(`no ${n} subscription(s) to ${filter} after 20s: ${procs.map((p) => p.err()).join('\n')}\n${mq.log().slice(from)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  /** Starts a mosquitto_sub of `filter` and waits until it is subscribed; `done` is its result (wrapped: an async function would wait for it). */
  async function independentSub(filter: string, args: string[]): Promise<{done: Promise<{code: number; stdout: string; stderr: string}>}> {
    const from = mark();
    const done = sub(['-t', filter, ...args]);
    await subscribed(from, filter);
    return {done};
  }

  it('pub at QoS 0, 1 and 2 with user properties: mosquitto_sub gets each value at its QoS', {timeout: 60_000}, async () => {
    const got = await independentSub('q/#', ['-q', '2', '-C', '3', '-F', '%t|%q|%r|%p|%P']);
    for (const qos of ['0', '1', '2']) {
      const r = await dial(['pub', `q/${qos}`, '--qos', qos, '-d', `at-${qos}`, '-H', `n: ${qos}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^q/${qos} published$`, 'm'));
    }
    const r = await got.done;
    assert.equal(r.code, 0, `${r.stderr}\n${mq.log()}`);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['q/0|0|0|at-0|n:0', 'q/1|1|0|at-1|n:1', 'q/2|2|0|at-2|n:2']);
  });

  it('sub --json: mosquitto_pub messages in the shared record shape (topic, qos, retain, user properties as headers); -n with --follow stops at n', {timeout: 60_000}, async (t) => {
    const from = mark();
    const s = bg(t, ['sub', 'shape/#', '--qos', '2', '--follow', '-n', '2', '--json']);
    await subscribed(from, 'shape/#', 1, [s]);
    assert.equal((await pub(['-t', 'shape/a', '-m', '{"x":1}', '-q', '2', '-D', 'publish', 'user-property', 'trace', 'abc'])).code, 0);
    assert.equal((await pub(['-t', 'shape/b/c', '-m', 'plain', '-q', '1'])).code, 0);
    assert.equal(await s.exited, 0, s.err());
    // a QoS 2 delivery is handed over after its PUBREL round trip: the QoS 1 message may come first
    const recs = s.out().trim().split('\n').map((l) => JSON.parse(l)).sort((x, y) => x.topic.localeCompare(y.topic));
    assert.deepEqual(recs, [
      {topic: 'shape/a', key: null, headers: {trace: 'abc'}, timestamp: null, qos: 2, retain: false, value: '{"x":1}'},
      {topic: 'shape/b/c', key: null, headers: {}, timestamp: null, qos: 1, retain: false, value: 'plain'},
    ]);
  });

  it('wildcards: + matches one level, # every level below', {timeout: 60_000}, async (t) => {
    const from = mark();
    const plus = bg(t, ['sub', 'home/+/temp', '--follow', '-n', '2', '--qos', '1']);
    const hash = bg(t, ['sub', 'home/#', '--follow', '-n', '4', '--qos', '1']);
    await subscribed(from, 'home/+/temp', 1, [plus, hash]);
    await subscribed(from, 'home/#', 1, [plus, hash]);
    for (const topic of ['home/kitchen/temp', 'home/kitchen/humidity', 'home/a/b/temp', 'home/hall/temp']) assert.equal((await pub(['-t', topic, '-m', topic, '-q', '1'])).code, 0);
    assert.equal(await plus.exited, 0, plus.err());
    assert.equal(await hash.exited, 0, hash.err());
    assert.equal(plus.out(), 'home/kitchen/temp\nhome/hall/temp\n');
    assert.equal(hash.out(), 'home/kitchen/temp\nhome/kitchen/humidity\nhome/a/b/temp\nhome/hall/temp\n');
  });

  it('retained messages: pub --retain is what a later subscriber gets first (mosquitto_sub sees the retain flag); topics lists it; an empty retained value clears it', {timeout: 60_000}, async () => {
    const r = await dial(['pub', 'sensors/kitchen/temp', '--retain', '--qos', '1', '-d', '21.5']);
    assert.equal(r.code, 0, r.stderr);
    const m = await sub(['-t', 'sensors/#', '-C', '1', '-F', '%t|%r|%p']);
    assert.equal(m.stdout.trim(), 'sensors/kitchen/temp|1|21.5');
    const s = await dial(['sub', 'sensors/+/temp', '--json', '--from-beginning']);
    assert.equal(s.code, 0, s.stderr);
    assert.deepEqual(JSON.parse(s.stdout), {topic: 'sensors/kitchen/temp', key: null, headers: {}, timestamp: null, qos: 0, retain: true, value: '21.5'});
    assert.match(s.stderr, /MQTT keeps no history/);
    assert.equal((await pub(['-t', 'sensors/hall/temp', '-m', '19', '-r'])).code, 0);
    const list = await dial(['topics', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const j = list.json<{topics: unknown[]; note: string}>();
    assert.deepEqual(j.topics, [{name: 'sensors/hall/temp', kind: 'retained', messages: 1, bytes: 2}, {name: 'sensors/kitchen/temp', kind: 'retained', messages: 1, bytes: 4}]);
    assert.match(j.note, /keep no list of topics/);
    const text = await dial(['topics']);
    assert.match(text.stdout, /^sensors\/kitchen\/temp\tretained\t1 message\(s\), 4 bytes$/m);
    assert.equal((await dial(['pub', 'sensors/kitchen/temp', '--retain', '-d', ''])).code, 0);
    assert.equal((await pub(['-t', 'sensors/hall/temp', '-n', '-r'])).code, 0);
    assert.deepEqual((await dial(['topics', '--json'])).json<{topics: unknown[]}>().topics, []);
  });

  it('--group is a $share group: members split the messages, each delivered once', {timeout: 60_000}, async (t) => {
    const from = mark();
    const a = bg(t, ['sub', 'work/#', '--group', 'workers', '--follow', '--qos', '1']);
    const b = bg(t, ['sub', 'work/#', '--group', 'workers', '--follow', '--qos', '1']);
    await subscribed(from, '$share/workers/work/#', 2, [a, b]);
    const sent = Array.from({length: 10}, (_v, i) => `job-${i}`);
    for (const v of sent) assert.equal((await pub(['-t', 'work/x', '-m', v, '-q', '1'])).code, 0);
    const deadline = Date.now() + 20_000;
    const lines = () => [...a.out().split('\n'), ...b.out().split('\n')].filter(Boolean);
    while (lines().length < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(lines().sort(), sent.sort(), 'each message exactly once across the group');
    assert.ok(a.out() && b.out(), `both members got messages: a=${JSON.stringify(a.out())} b=${JSON.stringify(b.out())}`);
    a.child.kill('SIGINT');
    b.child.kill('SIGINT');
    await Promise.all([a.exited, b.exited]);
  });

  it('DIAL_BROKER picks the broker; without --follow sub stops after --idle of silence; -d @- sends one message per line', {timeout: 60_000}, async () => {
    const env = {DIAL_BROKER: mq.url};
    const got = await independentSub('lines', ['-C', '3', '-q', '1']);
    const p = await dial(['pub', 'lines', '-d', '@-', '--qos', '1'], {env, input: 'a\nb\nc\n'});
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /published 3 messages to lines/);
    assert.equal((await got.done).stdout, 'a\nb\nc\n');
    const started = Date.now();
    const s = await dial(['sub', 'quiet/#', '--idle', '300ms'], {env});
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.stdout, '');
    assert.match(s.stderr, /no messages on quiet\/# in 300ms \(MQTT keeps only retained messages; --follow waits, --client-id keeps a session/);
    assert.ok(Date.now() - started < 15_000);
  });

  it('--client-id keeps a persistent session: QoS 1 messages sent while no dial sub runs wait for the next run with that id; --session-expiry 0s drops it at disconnect', {timeout: 60_000}, async () => {
    const first = await dial(['sub', 'sess/#', '--qos', '1', '--client-id', 'dial-test-reader', '--idle', '300ms']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, '');
    assert.match(first.stderr, /MQTT session 'dial-test-reader' started/);
    for (const [t, v] of [['sess/a', 'one'], ['sess/b/c', 'two']]) assert.equal((await pub(['-t', t, '-m', v, '-q', '1'])).code, 0);
    // a clean subscriber started now sees none of them: they were sent before it subscribed
    const clean = await dial(['sub', 'sess/#', '--qos', '1', '--idle', '300ms']);
    assert.equal(clean.stdout, '');
    const resumed = await dial(['sub', 'sess/#', '--qos', '1', '--client-id', 'dial-test-reader', '--idle', '500ms', '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /MQTT session 'dial-test-reader' resumed/);
    const recs = resumed.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(recs.map((r) => [r.topic, r.value, r.qos]), [['sess/a', 'one', 1], ['sess/b/c', 'two', 1]]);
    const again = await dial(['sub', 'sess/#', '--qos', '1', '--client-id', 'dial-test-reader', '--idle', '300ms']);
    assert.equal(again.stdout, '', 'delivered messages are not kept for a second run');

    const brief = await dial(['sub', 'brief/#', '--qos', '1', '--client-id', 'dial-test-brief', '--session-expiry', '0s', '--idle', '300ms']);
    assert.equal(brief.code, 0, brief.stderr);
    assert.equal((await pub(['-t', 'brief/x', '-m', 'lost', '-q', '1'])).code, 0);
    const after0 = await dial(['sub', 'brief/#', '--qos', '1', '--client-id', 'dial-test-brief', '--idle', '300ms']);
    assert.equal(after0.stdout, '');
    assert.match(after0.stderr, /session 'dial-test-brief' started/);

    const noId = await dial(['sub', 'x', '--session-expiry', '1h']);
    assert.equal(noId.code, 2);
    assert.match(noId.stderr, /--session-expiry needs --client-id/);
    const kafka = await runDial(['sub', 'x', '--client-id', 'k', '--broker', 'kafka://127.0.0.1:1'], {home});
    assert.equal(kafka.code, 2);
    assert.match(kafka.stderr, /--client-id is for MQTT brokers/);
  });

  it('--codec protobuf: pub encodes (mosquitto_sub gets bytes protobufjs decodes), sub decodes mosquitto_pub bytes; a value that does not fit is exit 2, nothing sent', {timeout: 60_000}, async (t) => {
    const flags = ['--codec', 'protobuf', '--schema', SCHEMA, '--type', 'sample.Sample'];
    const Sample = (await protobuf.load(SCHEMA)).lookupType('sample.Sample');
    const got = await independentSub('pb/#', ['-C', '1', '-F', '%x']);
    const p = await dial(['pub', 'pb/out', ...flags, '-d', '{"name":"ada","small":7,"tags":["x"]}']);
    assert.equal(p.code, 0, p.stderr);
    const hex = (await got.done).stdout.trim();
    assert.deepEqual(Sample.toObject(Sample.decode(Buffer.from(hex, 'hex'))), {name: 'ada', small: 7, tags: ['x']});
    const from = mark();
    const s = bg(t, ['sub', 'pb/in', ...flags, '--json', '--follow', '-n', '1']);
    await subscribed(from, 'pb/in', 1, [s]);
    const file = join(files, 'sample.bin');
    writeFileSync(file, Sample.encode(Sample.fromObject({name: 'bob', flag: true})).finish());
    assert.equal((await pub(['-t', 'pb/in', '-f', file])).code, 0);
    assert.equal(await s.exited, 0, s.err());
    const v = JSON.parse(s.out()).value;
    assert.equal(v.name, 'bob');
    assert.equal(v.flag, true);
    const watch = await independentSub('pb/#', ['-C', '1', '-W', '5']);
    const bad = await dial(['pub', 'pb/out', ...flags, '-d', '{"small":"many"}']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /does not fit.*sample\.Sample/);
    assert.equal((await watch.done).stdout, '', 'nothing was published');
  });

  it('bad input: unreachable (exit 3, the address), wrong credentials (exit 1, the broker\'s reason), a topic the ACL refuses (exit 1), filters and topics MQTT does not allow (exit 2)', {timeout: 60_000}, async () => {
    const down = await runDial(['pub', 'x', '-d', 'x', '--broker', 'mqtt://127.0.0.1:1'], {home});
    assert.equal(down.code, 3);
    assert.match(down.stderr, /cannot reach MQTT at 127\.0\.0\.1:1/);
    assert.match(down.stderr, /start the broker, or check --broker/);
    const creds = await runDial(['sub', 'allowed/x', '--broker', `mqtt://dial:wrong@127.0.0.1:${mq.authPort}`, '--json'], {home});
    assert.equal(creds.code, 1);
    const err = JSON.parse(creds.stdout).error;
    assert.match(err.message, /Not authorized/);
    assert.match(err.hint, /user and password/);
    const ok = await runDial(['pub', 'allowed/x', '-d', 'x', '--qos', '1', '--broker', mq.authUrl], {home});
    assert.equal(ok.code, 0, ok.stderr);
    const denied = await runDial(['pub', 'secret/x', '-d', 'x', '--qos', '1', '--broker', mq.authUrl], {home});
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /publish to 'secret\/x'.*Not authorized/);
    for (const filter of ['a/#/b', 'a/b#', 'a+/b']) {
      const f = await dial(['sub', filter]);
      assert.equal(f.code, 2, `${filter}: ${f.stderr}`);
      assert.match(f.stderr, /not an MQTT topic filter/);
    }
    const wild = await dial(['pub', 'a/+/c', '-d', 'x']);
    assert.equal(wild.code, 2);
    assert.match(wild.stderr, /only for subscribing/);
    const key = await dial(['pub', 'a/b', '-d', 'x', '--key', 'k']);
    assert.equal(key.code, 2);
    assert.match(key.stderr, /no key/);
  });

  it('the broker killed during sub --follow: exit 3 saying the connection was lost and after how many messages', {timeout: 60_000}, async (t) => {
    const from = mark();
    const s = bg(t, ['sub', 'crash/#', '--follow', '--qos', '1']);
    await subscribed(from, 'crash/#', 1, [s]);
    for (const v of ['one', 'two']) assert.equal((await pub(['-t', 'crash/x', '-m', v, '-q', '1'])).code, 0);
    const deadline = Date.now() + 20_000;
    while (s.out() !== 'one\ntwo\n' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await mq.kill();
    const code = await Promise.race([s.exited, new Promise<number>((r) => setTimeout(() => r(-2), 20_000))]);
    assert.equal(code, 3, `exit ${code}: ${s.err()}`);
    assert.equal(s.out(), 'one\ntwo\n');
    assert.match(s.err(), /lost the connection to MQTT at 127\.0\.0\.1:\d+ after 2 message\(s\)/);
    await mq.start();
  });
});
