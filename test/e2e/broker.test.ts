import assert from 'node:assert/strict';
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {after, before, describe, it} from 'node:test';
import {BIN, ROOT, clusterSuite, runDial, startCluster} from '../helpers/cli.js';

interface Rec {topic: string; partition: number; offset: number; key: string | null; value: string}

const records = (stdout: string): Rec[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A long-running `dial sub ... --json` whose records are collected as they arrive. */
function follower(home: string, args: string[]): {child: ChildProcessWithoutNullStreams; got: Rec[]; stderr: () => string; exited: Promise<number | null>} {
  const child = spawn(process.execPath, [BIN, 'sub', ...args, '--json'], {cwd: ROOT, env: {...process.env, DIAL_HOME: home, NO_COLOR: '1', CI: 'true'}});
  const got: Rec[] = [];
  let buf = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) if (l) got.push(JSON.parse(l) as Rec);
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {child, got, stderr: () => err, exited};
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('broker: dial pub, sub, consumer groups, events, durability', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  let api: string;
  before(async () => {
    api = (await startCluster(home, ['--instances', '1'])).json<{api: {url: string}}>().api.url;
  });

  it('pub acknowledges with partition and offset; sub --from-beginning returns each key\'s messages in order', async () => {
    const one = await runDial(['pub', 'orders', '-d', 'first', '--key', 'k1', '--partitions', '4'], {home});
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^orders partition [0-3] offset 0$/m);
    const lines = Array.from({length: 40}, (_v, i) => `k${i % 4}:${i}`).join('\n') + '\n';
    const many = await runDial(['pub', 'orders', '-d', '@-', '--json'], {home, input: lines});
    assert.equal(many.json<{results: unknown[]}>().results.length, 40);
    for (let k = 0; k < 4; k++) {
      const keyed = Array.from({length: 10}, (_v, i) => `x${i}`).join('\n');
      assert.equal((await runDial(['pub', 'orders', '-d', '@-', '--key', `key-${k}`], {home, input: keyed})).code, 0);
    }
    const r = await runDial(['sub', 'orders', '--from-beginning', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const recs = records(r.stdout);
    assert.equal(recs.length, 81);
    for (let k = 0; k < 4; k++) {
      const mine = recs.filter((m) => m.key === `key-${k}`);
      assert.equal(new Set(mine.map((m) => m.partition)).size, 1, 'one key, one partition');
      assert.deepEqual(mine.map((m) => m.value), Array.from({length: 10}, (_v, i) => `x${i}`), 'in publish order');
    }
    for (const p of new Set(recs.map((m) => m.partition))) {
      const offs = recs.filter((m) => m.partition === p).map((m) => m.offset);
      assert.deepEqual(offs, [...Array(offs.length).keys()], `partition ${p} offsets are consecutive from 0`);
    }
  });

  it('a group resumes at its committed offset; --no-commit leaves messages to be delivered again (at-least-once)', async () => {
    await runDial(['pub', 'jobs', '-d', '@-', '--partitions', '1'], {home, input: 'j0\nj1\nj2\nj3\nj4\nj5\n'});
    const a = await runDial(['sub', 'jobs', '--group', 'workers', '--from-beginning', '-n', '2'], {home});
    assert.deepEqual(a.stdout.trim().split('\n'), ['j0', 'j1']);
    const crashed = await runDial(['sub', 'jobs', '--group', 'workers', '-n', '2', '--no-commit'], {home});
    assert.deepEqual(crashed.stdout.trim().split('\n'), ['j2', 'j3'], 'continues after the committed offset');
    const again = await runDial(['sub', 'jobs', '--group', 'workers'], {home});
    assert.deepEqual(again.stdout.trim().split('\n'), ['j2', 'j3', 'j4', 'j5'], 'uncommitted messages come again');
    const done = await runDial(['sub', 'jobs', '--group', 'workers'], {home});
    assert.equal(done.stdout, '');
    assert.match(done.stderr, /no messages in jobs/);
  });

  it('two group members share the partitions; when one leaves, the other takes over its partitions', async () => {
    await runDial(['pub', 'tasks', '-d', 'init', '--partitions', '4'], {home});
    const a = follower(home, ['tasks', '--group', 'pool', '--follow', '--session-timeout', '3s']);
    await until('member a to join', () => /partitions \[0, 1, 2, 3\]/.test(a.stderr()));
    const b = follower(home, ['tasks', '--group', 'pool', '--follow', '--session-timeout', '3s']);
    await until('the rebalance', () => /partitions \[1, 3\]/.test(b.stderr()) && /partitions \[0, 2\]/.test(a.stderr()));
    const batch1 = Array.from({length: 40}, (_v, i) => `one-${i}`);
    await runDial(['pub', 'tasks', '-d', '@-'], {home, input: batch1.join('\n')});
    await until('both members to get batch 1', () => a.got.length + b.got.length >= 40);
    assert.ok(a.got.length > 0 && b.got.length > 0, `a ${a.got.length}, b ${b.got.length}`);
    assert.ok(a.got.every((m) => m.partition % 2 === 0) && b.got.every((m) => m.partition % 2 === 1));
    assert.deepEqual(new Set([...a.got, ...b.got].map((m) => m.value)), new Set(batch1));
    b.child.kill('SIGINT');
    assert.equal(await b.exited, 130);
    await until('a to take over every partition', () => /generation \d+, partitions \[0, 1, 2, 3\]/.test(a.stderr().split('\n').slice(2).join('\n')));
    const batch2 = Array.from({length: 20}, (_v, i) => `two-${i}`);
    await runDial(['pub', 'tasks', '-d', '@-'], {home, input: batch2.join('\n')});
    await until('a to get all of batch 2', () => batch2.every((v) => a.got.some((m) => m.value === v)));
    a.child.kill('SIGINT');
    await a.exited;
  });

  it('dial events shows registrations and health changes from the daemon\'s bus', async () => {
    const reg = await fetch(`${api}/v1/agent/service/register`, {method: 'PUT', body: JSON.stringify({ID: 'ev-1', Name: 'evsvc', Port: 1, Check: {TTL: '30s'}})});
    assert.equal(reg.status, 200);
    assert.equal((await fetch(`${api}/v1/agent/check/pass/service:ev-1`, {method: 'PUT'})).status, 200);
    assert.equal((await fetch(`${api}/v1/agent/service/deregister/ev-1`, {method: 'PUT'})).status, 200);
    const r = await runDial(['events', '--from-beginning', '--no-follow', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as {type: string; serviceId?: string; to?: string});
    const mine = events.filter((e) => e.serviceId === 'ev-1').map((e) => `${e.type}${e.to ? `:${e.to}` : ''}`);
    assert.deepEqual(mine, ['registration', 'health:passing', 'deregistration']);
    assert.ok(events.some((e) => e.type === 'instance'));
    const human = await runDial(['events', '--from-beginning', '--no-follow', '--type', 'deregistration'], {home});
    assert.match(human.stdout, /deregistration\s+deregistered ev-1 \(evsvc\)/);
    const bogus = await runDial(['events', '--type', 'bogus', '--no-follow'], {home});
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /--type=bogus.*registration, deregistration, health, instance, reaped, txn/);
  });

  it('bad input: no data, a bad topic name, publishing to dial.events', async () => {
    assert.equal((await runDial(['pub', 'orders'], {home})).code, 2);
    assert.equal((await runDial(['pub', 'no/slash', '-d', 'x'], {home})).code, 2);
    const r = await runDial(['pub', 'dial.events', '-d', 'x'], {home});
    assert.equal(r.code, 1);
    assert.match(r.stderr, /'dial\.events' is the cluster's own event bus: the daemon writes it, it is read-only/);
    assert.match(r.stderr, /hint:.*'dial events'/);
    assert.doesNotMatch(r.stderr, /--token/, 'not an ACL problem');
    const bad = await fetch(`${api}/v1/dial/broker/topics/orders/messages`, {method: 'POST', body: '{"messages": [{"value": 5}]}'});
    assert.equal(bad.status, 400);
  });

  it('no acknowledged publish is lost when the daemon is killed with SIGKILL', async () => {
    const status = (await runDial(['cluster', 'status', '--json'], {home})).json<{pid: number}>();
    const acked: {value: string; partition: number; offset: number}[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop && i < 5000; i++) {
        const value = `w${w}-${i}`;
        try {
          const res = await fetch(`${api}/v1/dial/broker/topics/crash/messages`, {method: 'POST', body: JSON.stringify({messages: [{key: `w${w}`, value}], partitions: 2})});
          if (res.status !== 200) break;
          const body = (await res.json()) as {results: {partition: number; offset: number}[]};
          acked.push({value, ...body.results[0]});
        } catch {
          break;
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await until('some acknowledged publishes', () => acked.length >= 200);
    process.kill(status.pid, 'SIGKILL');
    stop = true;
    await Promise.all(writers);
    const alive = () => {
      try {
        process.kill(status.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await until('the daemon to be gone', () => !alive());
    await startCluster(home, ['--instances', '1']);
    const r = await runDial(['sub', 'crash', '--from-beginning', '--json'], {home});
    const stored = new Map(records(r.stdout).map((m) => [`${m.partition}/${m.offset}`, m.value]));
    const lost = acked.filter((a) => stored.get(`${a.partition}/${a.offset}`) !== a.value);
    assert.equal(lost.length, 0, `${lost.length} of ${acked.length} acknowledged messages lost, e.g. ${JSON.stringify(lost.slice(0, 3))}`);
    for (const w of [0, 1, 2, 3]) {
      const mine = records(r.stdout).filter((m) => m.key === `w${w}`).map((m) => Number(m.value.split('-')[1]));
      assert.deepEqual(mine, [...mine].sort((x, y) => x - y), `writer ${w}'s messages stay in order`);
    }
  });
});
