import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, describe, it} from 'node:test';
import {clusterSuite, runDial, startCluster} from '../helpers/cli.js';
import {KCAT_MISSING, kcat} from '../broker/kafka-helpers.js';
import {waitForExit} from '../../src/runtime/index.js';

interface Up {pid: number; kafka: {host: string; port: number; bootstrap: string}}

describe('dial cluster up: the Kafka listener', {concurrency: false, skip: KCAT_MISSING}, () => {
  const {home} = clusterSuite(after);

  it('listens where cluster status, --json and cluster.json say; dial pub and kcat share the log', async () => {
    const up = (await startCluster(home, ['--demos', 'none', '--instances', '0'])).json<Up>();
    assert.match(up.kafka.bootstrap, /^127\.0\.0\.1:\d+$/);
    const file = JSON.parse(readFileSync(join(home, 'cluster.json'), 'utf8')) as Up;
    assert.deepEqual(file.kafka, up.kafka);
    const status = await runDial(['cluster', 'status'], {home});
    assert.match(status.stdout, new RegExp(`Kafka\\s+${up.kafka.bootstrap}`));
    assert.deepEqual((await runDial(['cluster', 'status', '--json'], {home})).json<Up>().kafka, up.kafka);
    assert.equal((await runDial(['pub', 'orders', '-d', 'from dial', '--key', 'c7'], {home})).code, 0);
    const c = await kcat(['-b', up.kafka.bootstrap, '-C', '-t', 'orders', '-e', '-q', '-o', 'beginning', '-f', '%k=%s\\n']);
    assert.equal(c.stdout, 'c7=from dial\n');
    const p = await kcat(['-b', up.kafka.bootstrap, '-P', '-t', 'orders', '-k', 'c8', '-H', 'via=kcat'], 'from kcat\n');
    assert.equal(p.code, 0, p.stderr);
    const sub = await runDial(['sub', 'orders', '--from-beginning', '--json'], {home});
    const recs = sub.stdout.trim().split('\n').map((l) => JSON.parse(l) as {key: string; value: string; headers?: Record<string, string>});
    assert.deepEqual(recs.map((r) => r.value).sort(), ['from dial', 'from kcat']);
    assert.deepEqual(recs.find((r) => r.key === 'c8')?.headers, {via: 'kcat'});
  });

  it('a produce kcat got acknowledged (acks=all) survives kill -9 of the daemon', async () => {
    const {kafka, pid} = (await runDial(['cluster', 'status', '--json'], {home})).json<Up>();
    const lines = Array.from({length: 500}, (_v, i) => `k${i % 7}:durable-${i}`).join('\n') + '\n';
    const p = await kcat(['-b', kafka.bootstrap, '-P', '-t', 'ledger', '-K', ':', '-X', 'acks=all', '-X', 'linger.ms=0'], lines);
    assert.equal(p.code, 0, p.stderr); // kcat -P exits 0 only once every message was acknowledged
    process.kill(pid, 'SIGKILL');
    assert.ok(await waitForExit(pid, 5000));
    const again = (await startCluster(home, ['--demos', 'none', '--instances', '0'])).json<Up>();
    const c = await kcat(['-b', again.kafka.bootstrap, '-C', '-t', 'ledger', '-e', '-q', '-o', 'beginning', '-f', '%s\\n']);
    const got = new Set(c.stdout.trim().split('\n'));
    assert.equal(got.size, 500);
    for (let i = 0; i < 500; i++) assert.ok(got.has(`durable-${i}`), `durable-${i}`);
  });

  it('--kafka-port picks the port; a port in use is a clear error', async () => {
    const {kafka} = (await runDial(['cluster', 'status', '--json'], {home})).json<Up>();
    const other = join(home, 'second');
    const r = await runDial(['cluster', 'up', '--port', '0', '--kafka-port', String(kafka.port), '--demos', 'none', '--instances', '0', '--json'], {home: other});
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /Kafka listener's port \d+ .*already in use.*--kafka-port/s);
    await runDial(['cluster', 'down'], {home: other});
  });
});
