import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {Kafka, logLevel} from 'kafkajs';
import {ROOT} from '../helpers/cli.js';
import {localKafka, until, type LocalKafka} from './kafka-helpers.js';

const CONSUMER = join(ROOT, 'test', 'fixtures', 'kafkajs-consumer.mjs');

interface Member {
  child: ChildProcess;
  assigned: number[][];
  got: {partition: number; offset: number; value: string}[];
  exited: Promise<void>;
}

/** A kafkajs consumer in its own process (so SIGKILL is a real crash). */
function member(bootstrap: string, group: string, topic: string, sessionMs = 3000): Member {
  const child = spawn(process.execPath, [CONSUMER, bootstrap, group, topic, String(sessionMs)], {stdio: ['ignore', 'pipe', 'inherit']});
  const m: Member = {child, assigned: [], got: [], exited: new Promise((r) => child.on('exit', () => r()))};
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) {
      const o = JSON.parse(l) as {assigned?: number[]; partition: number; offset: number; value: string};
      if (o.assigned) m.assigned.push(o.assigned);
      else m.got.push(o);
    }
  });
  return m;
}

const last = (m: Member) => m.assigned.at(-1) ?? [];

let k: LocalKafka;
const members: Member[] = [];
before(async () => {
  k = await localKafka();
});
after(async () => {
  for (const m of members) if (m.child.exitCode === null && m.child.signalCode === null) m.child.kill('SIGKILL');
  await Promise.all(members.map((m) => m.exited));
  await k.close();
});

async function produce(topic: string, values: string[]): Promise<void> {
  const producer = new Kafka({brokers: [k.bootstrap], logLevel: logLevel.NOTHING}).producer();
  await producer.connect();
  // One message per partition in turn, so every member has some.
  await producer.send({topic, acks: -1, messages: values.map((value, i) => ({value, partition: i % 6}))});
  await producer.disconnect();
}

describe('Kafka listener: kafkajs consumer groups (client-side assignment)', {concurrency: false}, () => {
  it('a group of 3 shares 6 partitions; when one member is SIGKILLed the others take its partitions after the session timeout', async () => {
    k.broker.createTopic('jobs', 6);
    await produce('jobs', Array.from({length: 12}, (_v, i) => `before-${i}`));
    for (let i = 0; i < 3; i++) members.push(member(k.bootstrap, 'workers', 'jobs'));
    const [a, b, c] = members;
    const shares = () => [a, b, c].map(last);
    await until('3 members with 2 partitions each', () => shares().every((s) => s.length === 2) && new Set(shares().flat()).size === 6, 30_000);
    await until('the 12 earlier messages consumed', () => a.got.length + b.got.length + c.got.length >= 12, 15_000);
    const victim = c;
    const orphaned = last(victim);
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();
    await until('the 2 survivors own all 6 partitions', () => new Set([...last(a), ...last(b)]).size === 6 && last(a).length + last(b).length === 6, 20_000);
    assert.ok(Date.now() - killedAt >= 2000, 'the rebalance came with the session timeout (3 s), not before');
    assert.ok(orphaned.every((p) => last(a).includes(p) || last(b).includes(p)));
    await produce('jobs', Array.from({length: 12}, (_v, i) => `after-${i}`));
    await until('the survivors consume every new message, from all 6 partitions', () => {
      const after = [...a.got, ...b.got].filter((g) => g.value.startsWith('after-'));
      return new Set(after.map((g) => g.value)).size === 12 && new Set(after.map((g) => g.partition)).size === 6;
    }, 20_000).catch((e: Error) => {
      throw new Error(`${e.message}: a ${JSON.stringify(a.assigned)} got ${JSON.stringify(a.got.slice(-14))}; b ${JSON.stringify(b.assigned)} got ${JSON.stringify(b.got.slice(-14))}`);
    });
    const all = [...a.got, ...b.got, ...victim.got];
    for (let i = 0; i < 12; i++) assert.ok(all.some((g) => g.value === `before-${i}`), `before-${i} consumed (at least once)`);
  });

  it('committed offsets: a consumer that stops and restarts continues after what it committed', async () => {
    for (const m of members) if (m.child.exitCode === null) m.child.kill('SIGTERM');
    await Promise.all(members.map((m) => m.exited));
    k.broker.createTopic('ledger', 6);
    await produce('ledger', Array.from({length: 6}, (_v, i) => `first-${i}`));
    const one = member(k.bootstrap, 'auditors', 'ledger');
    members.push(one);
    await until('first batch consumed', () => one.got.length >= 6, 30_000);
    await until('commits stored', () => Object.values(k.broker.store.committed('auditors', 'ledger')).reduce((x, y) => x + y, 0) === 6, 10_000);
    one.child.kill('SIGTERM');
    await one.exited;
    await produce('ledger', Array.from({length: 6}, (_v, i) => `second-${i}`));
    const two = member(k.bootstrap, 'auditors', 'ledger');
    members.push(two);
    await until('second batch consumed', () => two.got.length >= 6, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(two.got.map((g) => g.value).sort(), Array.from({length: 6}, (_v, i) => `second-${i}`), 'nothing of the first batch again');
    two.child.kill('SIGTERM');
    await two.exited;
  });
});
