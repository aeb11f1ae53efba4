/**
 * dial pub / sub / topics --broker nats:// and dial call nats://HOST:PORT/SUBJECT against a
 * real nats-server (Debian nats-server), with the NATS client (@nats-io/transport-node) as the
 * independent program on the other side.
 */
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {connect, headers as natsHeaders, type NatsConnection} from '@nats-io/transport-node';
import {jetstreamManager} from '@nats-io/jetstream';
import protobuf from 'protobufjs';
import {ROOT, runDial, startDial, tempHome, type BackgroundDial} from '../helpers/cli.js';
import {NATS_MISSING, startNats, type NatsServer} from '../helpers/nats.js';

const SCHEMA = join(ROOT, 'test', 'fixtures', 'codecs', 'sample.proto');
const CODEC = ['--codec', 'protobuf', '--schema', SCHEMA, '--type', 'sample.Sample'];

interface Rec {topic: string; subject: string; key: null; headers: Record<string, string>; value: unknown; timestamp: number | null; reply?: string; encoding?: string}

const lines = (bg: BackgroundDial): Rec[] => bg.out().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec);

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('dial against NATS (--broker nats://, dial call nats://)', {concurrency: false, skip: NATS_MISSING}, () => {
  let srv: NatsServer;
  let nc: NatsConnection;
  const home = tempHome();
  const env = () => ({DIAL_BROKER: srv.url});
  const started: NatsServer[] = [];

  before(async () => {
    const s = await startNats();
    if (typeof s === 'string') throw new Error(s);
    srv = s;
    started.push(s);
    nc = await connect({servers: srv.hostPort});
  });
  after(async () => {
    await nc?.close().catch(() => undefined);
    for (const s of started) await s.stop();
    (await import('node:fs')).rmSync(home, {recursive: true, force: true});
  });

  it('subjects with * and > wildcards: -n, --json records (subject, headers, value, timestamp, reply)', async (t) => {
    const star = startDial(t, ['sub', 'orders.*', '--broker', srv.url, '--json', '-n', '2'], {home});
    const rest = startDial(t, ['sub', 'orders.>', '--json', '-n', '3'], {home, env: env()});
    await srv.waitForSubscriptions('orders.*');
    await srv.waitForSubscriptions('orders.>');
    const h = natsHeaders();
    h.set('trace', 'abc');
    nc.publish('orders.eu', '{"id":1}', {headers: h});
    nc.publish('other.eu', 'not for either');
    nc.publish('orders.eu.created', 'deep', {reply: 'inbox.7'});
    nc.publish('orders.us', 'second');
    await nc.flush();
    assert.equal(await star.exited, 0, star.err());
    assert.equal(await rest.exited, 0, rest.err());
    const s = lines(star);
    assert.deepEqual(s.map((r) => r.subject), ['orders.eu', 'orders.us']);
    assert.deepEqual(s[0], {topic: 'orders.eu', subject: 'orders.eu', key: null, headers: {trace: 'abc'}, timestamp: null, value: '{"id":1}'});
    const r = lines(rest);
    assert.deepEqual(r.map((x) => x.subject), ['orders.eu', 'orders.eu.created', 'orders.us']);
    assert.equal(r[1].reply, 'inbox.7');
    assert.equal(r[1].value, 'deep');
  });

  it('--follow keeps reading; text output prints values; --group is a queue group (each message to one member)', async (t) => {
    const a = startDial(t, ['sub', 'jobs', '--group', 'workers', '--follow', '--json'], {home, env: env()});
    const b = startDial(t, ['sub', 'jobs', '-g', 'workers', '--follow', '--json'], {home, env: env()});
    const all = startDial(t, ['sub', 'jobs', '--follow'], {home, env: env()});
    await srv.waitForSubscriptions('jobs', 3);
    for (let i = 0; i < 40; i++) nc.publish('jobs', `job-${i}`);
    await nc.flush();
    await until('40 jobs across the group', () => lines(a).length + lines(b).length >= 40 && all.out().split('\n').length > 40);
    await new Promise((r) => setTimeout(r, 300)); // no duplicates arrive late
    const got = [...lines(a), ...lines(b)].map((x) => x.value as string);
    assert.equal(got.length, 40);
    assert.deepEqual([...got].sort(), Array.from({length: 40}, (_v, i) => `job-${i}`).sort());
    assert.ok(lines(a).length > 0 && lines(b).length > 0, `both members got jobs (${lines(a).length} / ${lines(b).length})`);
    assert.deepEqual(all.out().trim().split('\n'), Array.from({length: 40}, (_v, i) => `job-${i}`));
    for (const x of [a, b, all]) x.child.kill('SIGINT');
    for (const x of [a, b, all]) assert.ok([0, 130].includes(await x.exited), x.err());
  });

  it('without --follow or -n a sub stops after --idle of silence', async () => {
    const t0 = Date.now();
    const r = await runDial(['sub', 'quiet.subject', '--idle', '300ms'], {home, env: env()});
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no messages on quiet\.subject in 300ms \(core NATS keeps none; --follow waits\)/);
    assert.ok(Date.now() - t0 < 10_000);
  });

  it('dial pub: the NATS client receives the value and headers; many lines are many messages', async () => {
    const sub = nc.subscribe('greet.>', {max: 4});
    const got: {subject: string; data: string; h?: string}[] = [];
    const done = (async () => {
      for await (const m of sub) got.push({subject: m.subject, data: m.string(), h: m.headers?.get('x-from')});
    })();
    await nc.flush();
    const one = await runDial(['pub', 'greet.ada', '-d', '{"name":"ada"}', '-H', 'x-from: dial', '--json'], {home, env: env()});
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(one.json(), {topic: 'greet.ada', results: [{topic: 'greet.ada'}]});
    const many = await runDial(['pub', 'greet.many', '--broker', srv.url, '-d', '@-'], {home, input: 'a\nb\nc\n'});
    assert.equal(many.code, 0, many.stderr);
    assert.match(many.stdout, /published 3 messages to greet\.many/);
    await done;
    assert.deepEqual(got, [{subject: 'greet.ada', data: '{"name":"ada"}', h: 'dial'}, ...['a', 'b', 'c'].map((d) => ({subject: 'greet.many', data: d, h: undefined}))]);
  });

  it('dial call nats://HOST:PORT/SUBJECT answers like an RPC: reply, headers, --json; timeout and no responders', async () => {
    const responder = nc.subscribe('greeter.hello', {
      callback: (_err, m) => {
        const h = natsHeaders();
        h.set('served-by', 'test');
        m.respond(JSON.stringify({message: `hello ${(m.json() as {name: string}).name}`, lang: m.headers?.get('lang') ?? null}), {headers: h});
      },
    });
    const silent = nc.subscribe('greeter.slow', {callback: () => undefined});
    await nc.flush();
    const target = `nats://${srv.hostPort}/greeter.hello`;
    const r = await runDial(['call', target, '-d', '{"name":"ada"}', '-H', 'lang: en'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {message: 'hello ada', lang: 'en'});
    const j = await runDial(['call', target, '-d', '{"name":"bob"}', '--json'], {home});
    assert.equal(j.code, 0, j.stderr);
    const body = j.json<{subject: string; reply: unknown; headers: Record<string, string>; ms: number}>();
    assert.equal(body.subject, 'greeter.hello');
    assert.deepEqual(body.reply, {message: 'hello bob', lang: null});
    assert.equal(body.headers['served-by'], 'test');
    assert.ok(body.ms >= 0);

    const slow = await runDial(['call', `nats://${srv.hostPort}/greeter.slow`, '-d', '{}', '--max-time', '300ms'], {home});
    assert.equal(slow.code, 64 + 4, slow.stderr);
    assert.match(slow.stderr, /no reply from 'greeter\.slow'.*within 300 ms/);
    assert.match(slow.stderr, /raise --max-time/);
    const none = await runDial(['call', `nats://${srv.hostPort}/nobody.home`, '-d', '{}', '--json'], {home});
    assert.equal(none.code, 64 + 14);
    assert.equal(none.json<{error: {code: string; message: string}}>().error.code, 'NO_RESPONDERS');
    assert.match(none.stdout, /nobody\.home/);
    const bad = await runDial(['call', `nats://${srv.hostPort}/`, '-d', '{}'], {home});
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /names no subject/);
    responder.unsubscribe();
    silent.unsubscribe();
  });

  it('dial topics lists JetStream streams with their sizes', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({name: 'AUDIT', subjects: ['audit.>']});
    for (const v of ['one', 'two', 'three']) assert.equal((await runDial(['pub', 'audit.login', '-d', v], {home, env: env()})).code, 0);
    const info = await jsm.streams.info('AUDIT');
    const r = await runDial(['topics', '--json'], {home, env: env()});
    assert.equal(r.code, 0, r.stderr);
    const audit = r.json<{topics: {name: string; kind: string; messages: number; bytes: number; subjects: string[]}[]}>().topics.find((x) => x.name === 'AUDIT');
    assert.deepEqual(audit && {kind: audit.kind, messages: audit.messages, bytes: audit.bytes, subjects: audit.subjects}, {kind: 'stream', messages: 3, bytes: info.state.bytes, subjects: ['audit.>']});
    const text = await runDial(['topics', '--broker', srv.url], {home});
    assert.match(text.stdout, new RegExp(`AUDIT\\tstream\\t3 message\\(s\\), ${info.state.bytes} bytes, 0 consumer\\(s\\), subjects audit\\.>`));
    assert.match(text.stderr, /core NATS subjects are not kept/);
    await jsm.streams.delete('AUDIT');
  });

  it('--codec protobuf encodes on pub and decodes on sub; the NATS client sees the same bytes protobufjs makes', async (t) => {
    const type = (await protobuf.load(SCHEMA)).lookupType('sample.Sample');
    const sub = nc.subscribe('codec.pub', {max: 1});
    await nc.flush();
    const value = {name: 'ada', small: 7, tags: ['x', 'y']};
    const p = await runDial(['pub', 'codec.pub', ...CODEC, '-d', JSON.stringify(value)], {home, env: env()});
    assert.equal(p.code, 0, p.stderr);
    for await (const m of sub) assert.deepEqual(type.toObject(type.decode(m.data)), type.toObject(type.fromObject(value)));

    const s = startDial(t, ['sub', 'codec.sub', ...CODEC, '--json', '-n', '2'], {home, env: env()});
    await srv.waitForSubscriptions('codec.sub');
    nc.publish('codec.sub', type.encode(type.fromObject({name: 'bob', color: 2, inner: {label: 'l'}})).finish());
    nc.publish('codec.sub', new Uint8Array([0xff, 0xff, 0xff]));
    await nc.flush();
    assert.equal(await s.exited, 0, s.err());
    const [good, broken] = lines(s);
    assert.deepEqual(good.value, {name: 'bob', color: 'GREEN', inner: {label: 'l'}});
    assert.equal(broken.encoding, 'base64');
    assert.equal(broken.value, Buffer.from([0xff, 0xff, 0xff]).toString('base64'));
    assert.match(s.err(), /warning: codec\.sub: not protobuf sample\.Sample/);

    const mismatch = await runDial(['pub', 'codec.pub', ...CODEC, '-d', '{"name":5}'], {home, env: env()});
    assert.equal(mismatch.code, 2);
    assert.match(mismatch.stderr, /does not fit protobuf sample\.Sample.*name/);
    const notJson = await runDial(['pub', 'codec.pub', ...CODEC, '-d', 'plain'], {home, env: env()});
    assert.equal(notJson.code, 2);
    assert.match(notJson.stderr, /takes JSON values/);
  });

  it('bad input: unreachable, bad subjects, a key, wrong credentials, a subject the server refuses', async () => {
    const dead = await runDial(['pub', 'x', '--broker', 'nats://127.0.0.1:1', '-d', 'a'], {home});
    assert.equal(dead.code, 3);
    assert.match(dead.stderr, /cannot reach NATS at 127\.0\.0\.1:1.*\n.*start the broker, or check --broker \/ DIAL_BROKER/);
    const deadCall = await runDial(['call', 'nats://127.0.0.1:1/greeter.hello', '-d', '{}'], {home});
    assert.equal(deadCall.code, 3, deadCall.stderr);
    assert.match(deadCall.stderr, /127\.0\.0\.1:1/);
    for (const subject of ['a b', 'orders.*', 'orders..x']) {
      const r = await runDial(['pub', subject, '-d', 'a'], {home, env: env()});
      assert.equal(r.code, 2, `${subject}: ${r.stderr}`);
      assert.match(r.stderr, /is not a NATS subject to publish to/);
    }
    for (const subject of ['a.>.b', 'a..b', 'or*ders']) {
      const r = await runDial(['sub', subject], {home, env: env()});
      assert.equal(r.code, 2, `${subject}: ${r.stderr}`);
      assert.match(r.stderr, /is not a NATS subject to subscribe to/);
    }
    const key = await runDial(['pub', 'x', '--key', 'k', '-d', 'a'], {home, env: env()});
    assert.equal(key.code, 2);
    assert.match(key.stderr, /NATS messages have no key/);

    const locked = await startNats({
      jetstream: false,
      config: 'authorization { users = [ {user: bob, password: s3cret, permissions: {publish: {deny: ["secret.>"]}, subscribe: {deny: ["secret.>"]}}} ] }',
    });
    if (typeof locked === 'string') throw new Error(locked);
    started.push(locked);
    const wrong = await runDial(['pub', 'x', '--broker', `nats://bob:nope@${locked.hostPort}`, '-d', 'a', '--json'], {home});
    assert.equal(wrong.code, 1);
    const err = wrong.json<{error: {message: string; hint: string}}>().error;
    assert.match(err.message, /NATS at 127\.0\.0\.1:\d+ refused the connection: Authorization Violation/);
    assert.match(err.hint, /user and password/);
    const ok = `nats://bob:s3cret@${locked.hostPort}`;
    assert.equal((await runDial(['pub', 'open.x', '--broker', ok, '-d', 'a'], {home})).code, 0);
    const pubDenied = await runDial(['pub', 'secret.x', '--broker', ok, '-d', 'a'], {home});
    assert.equal(pubDenied.code, 1);
    assert.match(pubDenied.stderr, /publish to 'secret\.x': Permissions Violation for Publish to "secret\.x"/);
    const subDenied = await runDial(['sub', 'secret.>', '--broker', ok, '--follow'], {home});
    assert.equal(subDenied.code, 1);
    assert.match(subDenied.stderr, /Permissions Violation for Subscription to "secret\.>"/);
    const topics = await runDial(['topics', '--broker', ok, '--json'], {home});
    assert.equal(topics.code, 0, topics.stderr);
    assert.match(topics.json<{note: string}>().note, /JetStream is not enabled/);
  });

  it('the server killed during dial sub --follow: exit 3, every message delivered before was printed', async (t) => {
    const own = await startNats({jetstream: false});
    if (typeof own === 'string') throw new Error(own);
    started.push(own);
    const nc2 = await connect({servers: own.hostPort, reconnect: false});
    const s = startDial(t, ['sub', 'feed.>', '--broker', own.url, '--follow'], {home});
    await own.waitForSubscriptions('feed.>');
    for (let i = 0; i < 200; i++) nc2.publish(`feed.${i % 3}`, `m${i}`);
    await nc2.flush();
    await until('200 messages printed', () => s.out().split('\n').length > 200);
    process.kill(own.pid, 'SIGKILL');
    const code = await s.exited;
    await nc2.close().catch(() => undefined);
    assert.equal(code, 3, s.err());
    assert.deepEqual(s.out().trim().split('\n'), Array.from({length: 200}, (_v, i) => `m${i}`));
    assert.match(s.err(), /lost the connection to NATS at 127\.0\.0\.1:\d+ after 200 message\(s\)/);
    assert.match(s.err(), /run the command again when the server is back/);
  });
});
