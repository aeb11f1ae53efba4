import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {CompareReport, LoadReport} from '../../src/lb/real/index.js';
import {clusterSuite, runDial, startCluster} from '../helpers/cli.js';

interface Inst {
  id: string;
  port: number;
}

describe('balanced calls: dial call --lb -n -c, dial bench, dial lb compare-real', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  let instances: Inst[];
  before(async () => {
    instances = (await startCluster(home)).json<{instances: Inst[]}>().instances;
  });
  const hello = ['helloworld.Greeter/SayHello', '-d', '{"name":"ada"}'];
  const call = (args: string[]) => runDial(['call', 'greeter', ...hello, ...args, '--json'], {home});

  it('spreads calls over the healthy instances and reports per-instance counts', async () => {
    const r = await call(['--lb', 'round-robin', '-n', '30', '-c', '3']);
    assert.equal(r.code, 0, r.stderr);
    const rep = r.json<LoadReport>();
    assert.equal(rep.count, 30);
    assert.equal(rep.ok, 30);
    assert.deepEqual(rep.instances.map((i) => i.requests).sort(), [10, 10, 10]);
    assert.equal(rep.strategy, 'round-robin');
    const human = await runDial(['call', 'greeter', ...hello, '--lb', 'p2c', '-n', '20', '-c', '4'], {home});
    assert.match(human.stdout, /^20 calls of helloworld\.Greeter\/SayHello with p2c, 4 at a time: 20 ok, 0 failed/);
    assert.match(human.stdout, /INSTANCE\s+ADDRESS\s+WEIGHT\s+REQUESTS\s+SHARE/);
  });

  it('honours instance weights from the registry metadata', async () => {
    for (const [id, port, weight] of [['heavy', instances[0].port, '3'], ['light', instances[1].port, '1']] as const) {
      const reg = await runDial(['register', 'weighted', '--id', id, '--port', String(port), '--protocol', 'grpc', '--weight', weight], {home});
      assert.equal(reg.code, 0, reg.stderr);
    }
    const r = await runDial(['call', 'weighted', ...hello, '--lb', 'wrr', '-n', '40', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const counts = Object.fromEntries(r.json<LoadReport>().instances.map((i) => [i.id, i.requests]));
    assert.deepEqual(counts, {heavy: 30, light: 10});
  });

  it('retries UNAVAILABLE on another instance when --retries allows; else exits 64+14', async (t) => {
    t.after(() => runDial(['instance', 'heal', 'greeter-grpc-3'], {home}));
    await runDial(['instance', 'fail', 'greeter-grpc-3'], {home});
    const failing = await call(['-n', '30', '-c', '3']);
    assert.equal(failing.code, 78);
    assert.equal(failing.json<LoadReport>().statuses.find((s) => s.name === 'UNAVAILABLE')?.count, 10);
    const r = await call(['-n', '30', '-c', '3', '--retries', '2']);
    assert.equal(r.code, 0, r.stderr);
    const rep = r.json<LoadReport>();
    assert.equal(rep.ok, 30);
    // Every call that reached the failing instance was retried elsewhere. How many reached it
    // depends on how retries interleave with the round-robin order of 3 concurrent workers.
    const failed = rep.instances.find((i) => i.id === 'greeter-grpc-3')!;
    assert.equal(failed.ok, 0);
    assert.ok(rep.retries >= 1 && rep.retries === failed.requests, `retries ${rep.retries}, requests to the failing instance ${failed.requests}`);
  });

  it('a hanging instance ends in DEADLINE_EXCEEDED at --max-time (exit 64+4)', async () => {
    await runDial(['instance', 'hang', 'greeter-grpc-1'], {home});
    const r = await runDial(['call', `127.0.0.1:${instances[0].port}`, ...hello, '-n', '2', '-c', '2', '--max-time', '300ms', '--json'], {home});
    await runDial(['instance', 'heal', 'greeter-grpc-1'], {home});
    assert.equal(r.code, 68, r.stderr);
    assert.deepEqual(r.json<LoadReport>().statuses.map((s) => [s.name, s.count]), [['DEADLINE_EXCEEDED', 2]]);
  });

  it('bench reports throughput, percentiles, histogram, statuses and instances', async () => {
    const r = await runDial(['bench', 'greeter', ...hello, '-n', '300', '-c', '10', '--lb', 'least-connections', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const b = r.json<LoadReport>();
    assert.equal(b.count, 300);
    assert.ok(b.requestsPerSecond > 0);
    assert.ok(b.latency.p50 <= b.latency.p99 && b.latency.min <= b.latency.p50);
    assert.equal(b.histogram.counts.reduce((a, x) => a + x, 0), 300);
    assert.deepEqual(b.statuses, [{code: 0, name: 'OK', count: 300}]);
    assert.equal(b.instances.length, 3);
    const human = await runDial(['bench', `127.0.0.1:${instances[0].port}`, 'SayHello', '-n', '50', '-c', '5'], {home});
    assert.match(human.stdout, /Summary:[\s\S]*Requests\/sec:[\s\S]*Response time histogram:[\s\S]*Latency distribution:[\s\S]*\[OK\]\s+50 responses[\s\S]*Instances:/);
  });

  it('keeps serving through a killed instance with retries (kill mid-run)', async () => {
    const run = runDial(['bench', 'greeter', ...hello, '--duration', '1500ms', '-c', '4', '--retries', '2', '--json'], {home});
    await new Promise((r) => setTimeout(r, 500));
    await runDial(['instance', 'kill', 'greeter-grpc-2'], {home});
    const r = await run;
    assert.equal(r.code, 0, r.stderr);
    const b = r.json<LoadReport>();
    assert.equal(b.errors, 0, JSON.stringify(b.statuses));
    assert.ok(b.count > 20);
    await runDial(['instance', 'restart', 'greeter-grpc-2'], {home});
  });

  it("compare-real puts the simulator's prediction beside real shares", async () => {
    await runDial(['instance', 'slow', 'greeter-grpc-1', '--latency', '20ms'], {home});
    const r = await runDial(['lb', 'compare-real', 'greeter', ...hello, '-s', 'round-robin,peak-ewma', '-n', '150', '-c', '4', '--json'], {home});
    await runDial(['instance', 'heal', 'greeter-grpc-1'], {home});
    assert.equal(r.code, 0, r.stderr);
    const c = r.json<CompareReport>();
    assert.equal(c.rows.length, 6);
    const row = (s: string, id: string) => c.rows.find((x) => x.strategy === s && x.instance === id)!;
    assert.equal(row('round-robin', 'greeter-grpc-1').faults.latencyMs, 20);
    assert.ok(Math.abs(row('round-robin', 'greeter-grpc-1').predicted.share - 1 / 3) < 0.02);
    assert.ok(row('peak-ewma', 'greeter-grpc-1').real.share < 0.25, 'peak-EWMA steers away from the slow instance');
    assert.ok(row('peak-ewma', 'greeter-grpc-1').predicted.share < 0.25);
  });

  it('rejects streaming methods and bad strategies with exit 2', async () => {
    assert.equal((await runDial(['bench', 'greeter', 'SayHelloStreamReply', '-n', '5'], {home})).code, 2);
    assert.equal((await runDial(['call', 'greeter', ...hello, '--lb', 'fastest', '-n', '5'], {home})).code, 2);
  });
});
