// Broker throughput with fsync: publish and consume messages/s on a temp
// cluster, beside the registry's write rate (the anchor: PUT register, which
// is one SQLite transaction with fsync per request, like an unbatched publish);
// then the Kafka listener through kcat: 100,000 values of 1 KB produced
// (kcat -P -l FILE, acks=all) and consumed (kcat -C -e -o beginning -q), with
// the daemon's CPU time (a figure less at the mercy of a loaded machine).
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {round} from './harness.mjs';

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

export default async function broker({root}) {
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
    return {
      title: 'broker messages/s with fsync (ratio = throughput vs registry writes/s)', rows,
      target: 'concurrent publishes beat one fsync per message (ratio > 1); the Kafka listener serves kcat >= 50,000 messages/s on consume',
    };
  } finally {
    execFileSync(process.execPath, [bin, 'cluster', 'down'], {env});
    rmSync(home, {recursive: true, force: true});
  }
}
