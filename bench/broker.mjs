// Broker throughput with fsync: publish and consume messages/s on a temp
// cluster, beside the registry's write rate (the anchor: PUT register, which
// is one SQLite transaction with fsync per request, like an unbatched publish);
// then the Kafka listener through kcat: 100,000 values of 1 KB produced
// (kcat -P -l FILE, acks=all) and consumed (kcat -C -e -o beginning -q), with
// the daemon's CPU time (a figure less at the mercy of a loaded machine).
// Then dial's own clients against each broker's tool, 100,000 x 1 KB consumed
// by a whole process, runs alternating: dial sub --broker kafka:// (no group: dial's own reader)
// against kcat -C on the same topic of the Kafka listener, and dial sub
// --broker nats:// against a minimal @nats-io/transport-node script
// (bench/nats-sub.mjs: Debian ships no `nats` CLI and no `nats bench`) on a
// real nats-server, the same 100,000 messages published to both.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createConnection} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {freePort, median, round} from './harness.mjs';

const N = Number(process.env.BENCH_BROKER_MESSAGES ?? 4000);
const KAFKA_N = Number(process.env.BENCH_BROKER_KAFKA_MESSAGES ?? 100_000);
const CONSUME_RUNS = 3;

/** utime + stime of a process, ms (Linux /proc; 0 elsewhere). */
function cpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}

/** kcat producing and consuming KAFKA_N 1 KB values through the Kafka listener. */
function kcatRows(home, bootstrap, pid) {
  if (spawnSync('kcat', ['-V']).status !== 0) {
    process.stderr.write('kcat is not installed (apt-get install -y kcat): the Kafka listener rows are skipped\n');
    return [];
  }
  const file = join(home, 'values.txt');
  const filler = 'x'.repeat(1024 - 9);
  writeFileSync(file, Array.from({length: KAFKA_N}, (_v, i) => `${String(i).padStart(8, '0')} ${filler}`).join('\n') + '\n');
  const timed = (name, cmd, check) => {
    const cpu0 = cpuMs(pid);
    const t0 = performance.now();
    const out = execFileSync('/bin/sh', ['-c', cmd], {maxBuffer: 1 << 20}).toString();
    const seconds = (performance.now() - t0) / 1000;
    check(out);
    const cpu = cpuMs(pid) - cpu0;
    return {name, medianMs: round((seconds * 1000) / KAFKA_N, 4), perSecond: Math.round(KAFKA_N / seconds), count: KAFKA_N, daemonCpuMs: cpu, perDaemonCpuSecond: cpu ? Math.round(KAFKA_N / (cpu / 1000)) : 'n/a'};
  };
  const rows = [timed(`kcat -P -l: produce ${KAFKA_N / 1000}k x 1 KB, acks=all`, `kcat -b ${bootstrap} -P -t kbench -X acks=all -l ${file}`, () => undefined)];
  const consumes = [];
  for (let i = 0; i < CONSUME_RUNS; i++) {
    consumes.push(timed(`kcat -C -e: consume ${KAFKA_N / 1000}k x 1 KB (median of ${CONSUME_RUNS})`, `kcat -b ${bootstrap} -C -t kbench -e -o beginning -q | wc -l`, (out) => {
      if (Number(out.trim()) !== KAFKA_N) throw new Error(`kcat consumed ${out.trim()} of ${KAFKA_N}`);
    }));
  }
  rows.push(consumes.sort((a, b) => a.perSecond - b.perSecond)[Math.floor(CONSUME_RUNS / 2)]);
  return rows;
}
const CLIENT_RUNS = Number(process.env.BENCH_BROKER_CLIENT_RUNS ?? 3);
const CLIENT_TIMEOUT_MS = 180_000;

/** Wall ms of `sh -c CMD` whose stdout is `wc -l`'s count, checked against `count`. */
function timedConsume(cmd, count) {
  const t0 = performance.now();
  const out = execFileSync('/bin/sh', ['-c', `${cmd} | wc -l`], {maxBuffer: 1 << 20, timeout: CLIENT_TIMEOUT_MS}).toString();
  const ms = performance.now() - t0;
  if (Number(out.trim()) !== count) throw new Error(`${cmd}: ${out.trim()} of ${count} messages`);
  return ms;
}

/** Rows of one client comparison: the tool (anchor) and dial, medians of alternating runs, ratio = dial's time / the tool's. */
function clientRows(anchorName, subjectName, runs, once) {
  const a = [];
  const d = [];
  for (let i = 0; i < runs; i++) {
    a.push(once('anchor'));
    d.push(once('dial'));
  }
  const row = (name, xs, anchor) => ({name, medianMs: round(median(xs), 1), perSecond: Math.round(KAFKA_N / (median(xs) / 1000)), runs: xs.length, anchor});
  const rows = [row(anchorName, a, true), row(subjectName, d, false)];
  for (const r of rows) r.ratio = round(r.medianMs / rows[0].medianMs, 2);
  return rows;
}

/** dial sub --broker kafka:// -n N against kcat -C -c N, both from the beginning of kbench (filled by kcatRows). */
function kafkaClientRows(bin, env, bootstrap) {
  if (spawnSync('kcat', ['-V']).status !== 0) return [];
  const n = KAFKA_N;
  return clientRows(`kcat -C -c ${n / 1000}k -e: consume 1 KB values`, `dial sub --broker kafka:// -n ${n / 1000}k`, CLIENT_RUNS, (which) => which === 'anchor'
    ? timedConsume(`kcat -b ${bootstrap} -C -t kbench -o beginning -c ${n} -e -q`, n)
    : timedConsume(`DIAL_HOME='${env.DIAL_HOME}' NO_COLOR=1 '${process.execPath}' '${bin}' sub kbench --broker kafka://${bootstrap} --from-beginning -n ${n}`, n));
}

/** A nats-server on free loopback ports (client and monitoring), or undefined when it is not installed. */
async function startNatsServer(dir) {
  if (spawnSync('nats-server', ['--version']).status !== 0) {
    process.stderr.write('nats-server is not installed (apt-get install -y nats-server): the NATS client rows are skipped\n');
    return undefined;
  }
  const [port, monitor] = [await freePort(), await freePort()];
  // a consumer slower than the publisher must not be cut off as a slow consumer
  writeFileSync(join(dir, 'nats.conf'), `listen: 127.0.0.1:${port}\nhttp: 127.0.0.1:${monitor}\nmax_pending: 512MB\nwrite_deadline: "30s"\n`);
  const child = spawn('nats-server', ['-c', join(dir, 'nats.conf')], {stdio: 'ignore'});
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await new Promise((resolve) => {
      const s = createConnection({host: '127.0.0.1', port});
      s.once('data', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('nats-server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {port, monitor, stop: () => child.kill('SIGTERM')};
}

/** One consume of N messages on NATS: start the consumer, wait for its subscription, publish N x 1 KB, time until it exits. */
async function natsConsumeOnce(nc, srv, subject, argv, devNull) {
  const child = spawn(argv[0], argv.slice(1), {stdio: ['ignore', devNull, 'pipe']});
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('close', resolve));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await fetch(`http://127.0.0.1:${srv.monitor}/connz?subs=1`).then((x) => x.json());
    if ((r.connections ?? []).some((c) => (c.subscriptions_list ?? []).includes(subject))) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${argv.join(' ')} did not subscribe: ${err}`);
    await new Promise((res) => setTimeout(res, 20));
  }
  const value = new TextEncoder().encode('x'.repeat(1024));
  const t0 = performance.now();
  for (let i = 0; i < KAFKA_N; i++) {
    nc.publish(subject, value);
    if (i % 2000 === 1999) await nc.flush();
  }
  await nc.flush();
  const timer = setTimeout(() => child.kill('SIGKILL'), CLIENT_TIMEOUT_MS);
  const code = await exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${argv.join(' ')} exited ${code}: ${err}`);
  return performance.now() - t0;
}

/** dial sub --broker nats:// -n N against bench/nats-sub.mjs, the same N messages published to each. */
async function natsClientRows(root, bin, env, dir) {
  const srv = await startNatsServer(dir);
  if (!srv) return [];
  const {connect} = await import('@nats-io/transport-node');
  const nc = await connect({servers: `127.0.0.1:${srv.port}`});
  const devNull = openSync('/dev/null', 'w');
  try {
    const a = [];
    const d = [];
    for (let i = 0; i < CLIENT_RUNS; i++) {
      a.push(await natsConsumeOnce(nc, srv, `bench.a${i}`, [process.execPath, join(root, 'bench', 'nats-sub.mjs'), `127.0.0.1:${srv.port}`, `bench.a${i}`, String(KAFKA_N)], devNull));
      d.push(await natsConsumeOnce(nc, srv, `bench.d${i}`, ['/usr/bin/env', `DIAL_HOME=${env.DIAL_HOME}`, 'NO_COLOR=1', process.execPath, bin, 'sub', `bench.d${i}`, '--broker', `nats://127.0.0.1:${srv.port}`, '-n', String(KAFKA_N)], devNull));
    }
    const row = (name, xs, anchor) => ({name, medianMs: round(median(xs), 1), perSecond: Math.round(KAFKA_N / (median(xs) / 1000)), runs: xs.length, anchor});
    const rows = [row(`@nats-io script (bench/nats-sub.mjs): ${KAFKA_N / 1000}k x 1 KB`, a, true), row(`dial sub --broker nats:// -n ${KAFKA_N / 1000}k`, d, false)];
    for (const r of rows) r.ratio = round(r.medianMs / rows[0].medianMs, 2);
    return rows;
  } finally {
    closeSync(devNull);
    await nc.close();
    srv.stop();
  }
}

const CONCURRENCY = 16;

async function pool(count, concurrency, fn) {
  let next = 0;
  await Promise.all(Array.from({length: concurrency}, async () => {
    while (next < count) await fn(next++);
  }));
}

async function rate(name, count, fn, anchor = false) {
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  return {name, medianMs: round((seconds * 1000) / count, 3), perSecond: Math.round(count / seconds), count, anchor};
}

export default async function broker({root, runs}) {
  const home = mkdtempSync(join(tmpdir(), 'dial-bench-'));
  const bin = join(root, 'bin', 'run.js');
  const env = {...process.env, DIAL_HOME: home, NO_COLOR: '1'};
  try {
    const up = JSON.parse(execFileSync(process.execPath, [bin, 'cluster', 'up', '--port', '0', '--instances', '1', '--json'], {env}).toString());
    const api = up.api.url;
    const post = async (path, body, method = 'POST') => {
      const res = await fetch(`${api}${path}`, {method, body: JSON.stringify(body)});
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      return res.json();
    };
    await post('/v1/dial/broker/topics/bench', {partitions: 4}, 'PUT');
    const rows = [];
    rows.push(await rate(`registry writes (PUT register), ${CONCURRENCY} concurrent`, N / 4, () =>
      pool(N / 4, CONCURRENCY, (i) => post('/v1/agent/service/register', {ID: `bench-${i}`, Name: 'bench', Port: 1000 + (i % 1000)}, 'PUT')), true));
    rows.push(await rate('publish, 1 message per request, sequential', N / 8, () =>
      pool(N / 8, 1, (i) => post('/v1/dial/broker/topics/bench/messages', {messages: [{value: `s${i}`}]}))));
    rows.push(await rate(`publish, 1 message per request, ${CONCURRENCY} concurrent (group commit)`, N, () =>
      pool(N, CONCURRENCY, (i) => post('/v1/dial/broker/topics/bench/messages', {messages: [{key: `k${i % 64}`, value: `message ${i}`}]}))));
    rows.push(await rate('publish, batches of 100', N * 5, () =>
      pool(N / 20, 4, (b) => post('/v1/dial/broker/topics/bench/messages', {messages: Array.from({length: 100}, (_v, i) => ({value: `b${b}-${i}`}))}))));
    const total = N / 8 + N + N * 5;
    let consumed = 0;
    rows.push(await rate('consume (fetch 500 per request, all partitions)', total, async () => {
      let positions = {};
      for (;;) {
        const r = await post('/v1/dial/broker/topics/bench/fetch', {positions, from: 'beginning', max: 500, waitMs: 0});
        if (r.messages.length === 0) break;
        consumed += r.messages.length;
        positions = r.positions;
      }
    }));
    if (consumed !== total) throw new Error(`consumed ${consumed} of ${total}`);
    rows.push(...kcatRows(home, up.kafka.bootstrap, up.pid));
    const a = rows[0].perSecond;
    for (const r of rows) r.ratio = round(r.perSecond / a, 2);
    const clients = [...kafkaClientRows(bin, env, up.kafka.bootstrap), ...await natsClientRows(root, bin, env, home)];
    const clientTitle = `dial sub --broker against the broker's own client, ${KAFKA_N / 1000}k x 1 KB consumed by a whole process, median of ${CLIENT_RUNS} alternating runs (ratio = dial's time / the tool's; NATS: Debian ships no nats CLI or nats bench, so the anchor is a minimal @nats-io/transport-node script)`;
    const clientTarget = 'dial\'s client adds at most 20% over the broker\'s own tool (ratio <= 1.2)';
    const main = {
      title: 'broker messages/s with fsync (ratio = throughput vs registry writes/s)', rows,
      target: 'concurrent publishes beat one fsync per message (ratio > 1); the Kafka listener serves kcat >= 50,000 messages/s on consume',
    };
    const client = {title: clientTitle, rows: clients, target: clientTarget};
    // RabbitMQ and MQTT (real brokers from the Debian packages): bench/broker-amqp-mqtt.mjs
    const realBrokers = await (await import('./broker-amqp-mqtt.mjs')).default({root, runs});
    return {...main, clients: client, realBrokers, tables: [main, ...(clients.length ? [client] : []), ...(realBrokers.rows.length ? [realBrokers] : [])]};
  } finally {
    execFileSync(process.execPath, [bin, 'cluster', 'down'], {env});
    rmSync(home, {recursive: true, force: true});
  }
}
