import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, it} from 'node:test';
import {Broker} from '../../src/broker/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dial-broker-'));
after(() => rmSync(dir, {recursive: true, force: true}));
let n = 0;
const open = (opts = {}) => new Broker(join(dir, `b${++n}.db`), opts);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('broker: ordered, durable partitions', () => {
  it('messages with one key land in one partition, in publish order, with consecutive offsets', async () => {
    const b = open();
    const acks = [];
    for (let i = 0; i < 30; i++) acks.push(await b.publish('orders', [{key: 'customer-7', value: `m${i}`}]));
    const parts = new Set(acks.map((a) => a[0].partition));
    assert.equal(parts.size, 1);
    assert.deepEqual(acks.map((a) => a[0].offset), [...Array(30).keys()]);
    const r = await b.fetch('orders', {}, {max: 100, waitMs: 0, from: 'beginning'});
    assert.deepEqual(r.messages.map((m) => m.value), acks.map((_a, i) => `m${i}`));
    b.close();
  });

  it('publishes waiting at the same moment share one transaction (group commit), and survive reopening', async () => {
    const flushes: number[] = [];
    const path = join(dir, 'group-commit.db');
    const b = new Broker(path, {onFlush: (count) => flushes.push(count)});
    const acks = await Promise.all(Array.from({length: 50}, (_v, i) => b.publish('t', [{value: `v${i}`}])));
    assert.equal(acks.length, 50);
    assert.ok(flushes.length < 50 && flushes.reduce((x, y) => x + y, 0) === 50, `flushes ${flushes.join(',')}`);
    b.close();
    const again = new Broker(path);
    const r = await again.fetch('t', {}, {max: 100, waitMs: 0, from: 'beginning'});
    assert.equal(r.messages.length, 50);
    assert.deepEqual(new Set(r.messages.map((m) => m.value)).size, 50);
    const next = await again.publish('t', [{key: 'x', value: 'after reopen'}]);
    const end = again.topic('t')!.partitions[next[0].partition].end;
    assert.equal(next[0].offset, end - 1, 'offsets continue after reopening');
    again.close();
  });

  it('a fetch waits for the next publish (long poll) and returns at once when it arrives', async () => {
    const b = open();
    b.createTopic('live', 1);
    const t0 = Date.now();
    const pending = b.fetch('live', {}, {max: 10, waitMs: 5000, from: 'end'});
    await sleep(50);
    await b.publish('live', [{value: 'now'}]);
    const r = await pending;
    assert.deepEqual(r.messages.map((m) => m.value), ['now']);
    assert.ok(Date.now() - t0 < 2000);
    b.close();
  });
});

describe('broker: consumer groups', () => {
  it('members share the partitions; a leaving member\'s partitions go to the others; commits for revoked partitions are refused', async () => {
    const b = open();
    b.createTopic('jobs', 4);
    const a = b.groups.join('g', 'jobs', {sessionTimeoutMs: 10_000, fromBeginning: true});
    assert.deepEqual(a.partitions.map((p) => p.partition), [0, 1, 2, 3]);
    const c = b.groups.join('g', 'jobs', {sessionTimeoutMs: 10_000, fromBeginning: true});
    const aNow = b.groups.heartbeat('g', 'jobs', a.member)!;
    assert.equal(aNow.generation, c.generation);
    assert.deepEqual(aNow.partitions.map((p) => p.partition), [0, 2]);
    assert.deepEqual(c.partitions.map((p) => p.partition), [1, 3]);
    const refused = b.commit('g', 'jobs', a.member, {0: 1, 1: 1});
    assert.deepEqual(refused, {committed: {0: 1}, rejected: [1]});
    assert.equal(b.groups.leave('g', 'jobs', c.member), true);
    assert.deepEqual(b.groups.heartbeat('g', 'jobs', a.member)!.partitions.map((p) => p.partition), [0, 1, 2, 3]);
    assert.equal(b.commit('g', 'jobs', c.member, {1: 1}), undefined, 'a member that left cannot commit');
    b.close();
  });

  it('a member that stops heartbeating is dropped after its session timeout and its partitions reassigned', async () => {
    const b = open();
    b.createTopic('jobs', 2);
    const a = b.groups.join('g', 'jobs', {sessionTimeoutMs: 300, fromBeginning: true});
    const c = b.groups.join('g', 'jobs', {sessionTimeoutMs: 60_000, fromBeginning: true});
    assert.deepEqual(b.groups.heartbeat('g', 'jobs', c.member)!.partitions.map((p) => p.partition), [1]);
    const deadline = Date.now() + 3000;
    const members = () => b.groups.describe('g', 'jobs').members.map((m) => m.id);
    while (Date.now() < deadline && members().includes(a.member)) {
      b.groups.heartbeat('g', 'jobs', c.member);
      await sleep(100);
    }
    assert.deepEqual(members(), [c.member]);
    assert.equal(b.groups.heartbeat('g', 'jobs', a.member), undefined);
    assert.deepEqual(b.groups.heartbeat('g', 'jobs', c.member)!.partitions.map((p) => p.partition), [0, 1]);
    b.close();
  });

  it('a new member starts at the committed offsets: nothing skipped, nothing repeated after a commit', async () => {
    const b = open();
    b.createTopic('q', 1);
    await b.publish('q', Array.from({length: 10}, (_v, i) => ({value: String(i)})));
    const a = b.groups.join('g', 'q', {sessionTimeoutMs: 10_000, fromBeginning: true});
    const r = await b.groupFetch('g', 'q', a.member, {}, {max: 4, waitMs: 0});
    assert.deepEqual(r!.messages.map((m) => m.value), ['0', '1', '2', '3']);
    b.commit('g', 'q', a.member, {0: 4});
    b.groups.leave('g', 'q', a.member);
    const c = b.groups.join('g', 'q', {sessionTimeoutMs: 10_000, fromBeginning: true});
    assert.deepEqual(c.partitions, [{partition: 0, start: 4}]);
    const r2 = await b.groupFetch('g', 'q', c.member, {}, {max: 100, waitMs: 0});
    assert.deepEqual(r2!.messages.map((m) => m.value), ['4', '5', '6', '7', '8', '9']);
    assert.equal(b.describeGroups().find((g) => g.group === 'g')!.lag, 6);
    b.close();
  });
});
