// `dial sub --broker` consuming 100,000 values of 1 KB from real brokers,
// beside each broker's own consumer on the same workload:
// - MQTT (Debian mosquitto): dial sub -n N vs mosquitto_sub -C N, both
//   subscribed at QoS 1 (at QoS 0 Mosquitto drops what a consumer cannot take
//   at once) before an mqtt.js publisher sends the N values at QoS 1
//   (MQTT keeps no backlog), timed from the first publish to the consumer's exit
//   (so a consumer that keeps up with the publisher scores the publisher's rate);
// - RabbitMQ (Debian rabbitmq-server): dial sub QUEUE -n N vs a minimal
//   amqplib consumer (bench/amqplib-consumer.mjs: Debian has no RabbitMQ CLI
//   consumer), each reading a durable queue filled beforehand with N persistent
//   messages, timed as whole processes (start-up included), acking each message.
// Output goes to /dev/null in every row. Median of min(runs, 3) runs per row.
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {median, round} from './harness.mjs';

const N = Number(process.env.BENCH_BROKER_CLIENT_MESSAGES ?? 100_000);

function run(cmd, args, env) {
  const child = spawn(cmd, args, {env, stdio: ['ignore', 'ignore', 'pipe']});
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`)))));
  return {child, done};
}

async function until(what, ok, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${ms / 1000}s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const row = (name, seconds, anchor = false) => ({name, medianMs: round((seconds * 1000) / N, 4), perSecond: Math.round(N / seconds), count: N, anchor});

async function mqttRows({runs, brokers, lines, env, bin}) {
  const mq = await brokers.startMosquitto({conf: ['max_queued_messages 0', 'max_queued_bytes 0', 'max_inflight_messages 0']});
  if (typeof mq === 'string') {
    process.stderr.write(`${mq}: the MQTT rows are skipped\n`);
    return [];
  }
  // mosquitto_pub -l lost the tail of 100k lines at QoS 1 here: an mqtt.js publisher instead, every PUBACK awaited
  const mqtt = (await import('mqtt')).default;
  const publisher = await mqtt.connectAsync({host: '127.0.0.1', port: mq.port, protocolVersion: 5});
  try {
    const publish = async (topic) => {
      for (let i = 0; i < lines.length; i += 1000) await Promise.all(lines.slice(i, i + 1000).map((l) => publisher.publishAsync(topic, l, {qos: 1})));
    };
    const consume = async (name, cmd, args, filter) => {
      const times = [];
      for (let i = 0; i < runs; i++) {
        const mark = mq.log().length;
        const c = run(cmd, args, env);
        await until(`${name} subscribed`, () => mq.log().slice(mark).split('\n').some((l) => l.endsWith(` ${filter}`)));
        const t0 = performance.now();
        await publish(filter);
        // bounded: a consumer that missed messages would wait for ever
        const late = setTimeout(() => c.child.kill('SIGKILL'), 120_000);
        await c.done.finally(() => clearTimeout(late));
        times.push((performance.now() - t0) / 1000);
      }
      return median(times);
    };
    const tool = await consume('mosquitto_sub', 'mosquitto_sub', ['-h', '127.0.0.1', '-p', String(mq.port), '-q', '1', '-t', 'mq-bench-a', '-C', String(N)], 'mq-bench-a');
    const dial = await consume('dial sub', process.execPath, [bin, 'sub', 'mq-bench-b', '--broker', mq.url, '--qos', '1', '-n', String(N), '--follow'], 'mq-bench-b');
    return [row(`MQTT: mosquitto_sub -q 1 -C ${N}, 1 KB values`, tool, true), {...row(`MQTT: dial sub --qos 1 -n ${N} --broker mqtt://`, dial), ratio: round(tool / dial, 2)}];
  } finally {
    await publisher.endAsync().catch(() => undefined);
    await mq.stop();
  }
}

async function amqpRows({root, runs, brokers, lines, env, bin}) {
  const rabbit = await brokers.startRabbitMQ();
  if (typeof rabbit === 'string') {
    process.stderr.write(`${rabbit}: the RabbitMQ rows are skipped\n`);
    return [];
  }
  const amqp = (await import('amqplib')).default;
  const conn = await amqp.connect(rabbit.url);
  try {
    const fill = async (queue) => {
      const ch = await conn.createConfirmChannel();
      await ch.assertQueue(queue, {durable: true});
      for (let i = 0; i < lines.length; i++) {
        if (!ch.sendToQueue(queue, Buffer.from(lines[i]), {persistent: true})) await new Promise((r) => ch.once('drain', r));
        if (i % 5000 === 4999) await ch.waitForConfirms();
      }
      await ch.waitForConfirms();
      await ch.close();
    };
    const consume = async (queue, cmd, args) => {
      const times = [];
      for (let i = 0; i < runs; i++) {
        await fill(queue);
        const t0 = performance.now();
        await run(cmd, args, env).done;
        times.push((performance.now() - t0) / 1000);
        const ch = await conn.createChannel();
        const q = await ch.checkQueue(queue);
        await ch.close();
        if (q.messageCount !== 0) throw new Error(`${args[1] ?? cmd}: ${q.messageCount} messages left in ${queue}`);
      }
      return median(times);
    };
    const tool = await consume('rq-a', process.execPath, [join(root, 'bench', 'amqplib-consumer.mjs'), rabbit.url, 'rq-a', String(N)]);
    const dial = await consume('rq-b', process.execPath, [bin, 'sub', 'rq-b', '--broker', rabbit.url, '-n', String(N)]);
    return [row(`RabbitMQ: minimal amqplib consumer, prefetch 500, ${N / 1000}k x 1 KB`, tool, true), {...row(`RabbitMQ: dial sub QUEUE -n ${N} --broker amqp://`, dial), ratio: round(tool / dial, 2)}];
  } finally {
    await conn.close().catch(() => undefined);
    await rabbit.stop();
  }
}

export default async function brokerClients({root, runs}) {
  const {tsImport} = await import('tsx/esm/api');
  const brokers = await tsImport('../test/helpers/brokers.ts', import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'dial-bench-clients-'));
  const home = join(dir, 'home');
  const env = {...process.env, DIAL_HOME: home, NO_COLOR: '1', CI: 'true'};
  const bin = join(root, 'bin', 'run.js');
  const filler = 'x'.repeat(1024 - 9);
  const lines = Array.from({length: N}, (_v, i) => `${String(i).padStart(8, '0')} ${filler}`);
  const r = Math.max(1, Math.min(runs ?? 3, 3));
  try {
    const rows = [];
    if (existsSync(brokers.MOSQUITTO_PUB)) rows.push(...await mqttRows({runs: r, brokers, lines, env, bin}));
    rows.push(...await amqpRows({root, runs: r, brokers, lines, env, bin}));
    for (const x of rows) x.ratio ??= 1;
    return {
      title: `dial sub --broker: consume messages/s from real brokers beside each broker's own consumer (ratio = dial / the tool, per broker; RabbitMQ: Debian ships no CLI consumer, so the anchor is a minimal amqplib script)`,
      rows,
      target: 'dial adds at most 20% for a 100,000-message consume (ratio >= 0.83 per broker)',
    };
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
