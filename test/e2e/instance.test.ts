import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {clusterSuite, runDial, startCluster} from '../helpers/cli.js';

interface View {
  id: string;
  state: string;
  port?: number;
  pid?: number;
  health?: string;
  faults: {latencyMs: number; errorRate: number; hang: boolean};
}

describe('dial instance: fault injection, kill and restart', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  before(async () => {
    await startCluster(home, ['--instances', '2']);
  });
  const target = async (id: string) => {
    const v = (await runDial(['instance', 'list', '--json'], {home})).json<{instances: View[]}>().instances.find((i) => i.id === id)!;
    return `127.0.0.1:${v.port}`;
  };
  const hello = (addr: string) => runDial(['call', addr, 'helloworld.Greeter/SayHello', '-d', '{"name":"x"}', '--json'], {home});

  it('lists the instances with health and no faults', async () => {
    const r = await runDial(['instance', 'list'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /greeter-grpc-1\s+greeter-grpc\s+\d+\s+\d+\s+ready\s+passing\s+none/);
    const j = (await runDial(['instance', 'list', '--json'], {home})).json<{instances: View[]}>();
    assert.deepEqual(j.instances.map((i) => i.id), ['greeter-grpc-1', 'greeter-grpc-2']);
  });

  it('slow adds latency to the calls the instance serves; heal removes it', async () => {
    const addr = await target('greeter-grpc-2');
    // A latency far above any scheduling noise on a loaded 2-core machine: the
    // lower bound is exact, the upper bound after heal has a wide margin.
    const s = await runDial(['instance', 'slow', 'greeter-grpc-2', '--latency', '2s', '--json'], {home});
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.json<View>().faults.latencyMs, 2000);
    const slow = (await hello(addr)).json<{timing: {totalMs: number}; status: {code: number}}>();
    assert.equal(slow.status.code, 0);
    assert.ok(slow.timing.totalMs >= 2000, `took ${slow.timing.totalMs}ms`);
    const h = await runDial(['instance', 'heal', 'greeter-grpc-2'], {home});
    assert.match(h.stdout, /greeter-grpc-2 healed; faults: none/);
    const fast = (await hello(addr)).json<{timing: {totalMs: number}}>();
    assert.ok(fast.timing.totalMs < 2000, `took ${fast.timing.totalMs}ms`);
  });

  it('fail makes calls end with UNAVAILABLE (exit 78) and keeps other faults', async () => {
    const addr = await target('greeter-grpc-1');
    await runDial(['instance', 'slow', 'greeter-grpc-1', '--latency', '1ms'], {home});
    const f = await runDial(['instance', 'fail', 'greeter-grpc-1', '--rate', '100%', '--json'], {home});
    assert.deepEqual(f.json<View>().faults, {latencyMs: 1, errorRate: 1, hang: false});
    const r = await hello(addr);
    assert.equal(r.code, 78, r.stderr);
    assert.match((await runDial(['instance', 'list'], {home})).stdout, /greeter-grpc-1 .*\+1ms, 100% errors/);
    await runDial(['instance', 'heal', 'greeter-grpc-1'], {home});
    assert.equal((await hello(addr)).code, 0);
  });

  it('kill crashes the process; restart brings it back without faults', async () => {
    await runDial(['instance', 'slow', 'greeter-grpc-2', '--latency', '50ms'], {home});
    const k = await runDial(['instance', 'kill', 'greeter-grpc-2', '--json'], {home});
    assert.equal(k.code, 0, k.stderr);
    const killed = k.json<View>();
    assert.equal(killed.state, 'exited');
    assert.equal(killed.pid, undefined);
    const again = await runDial(['instance', 'slow', 'greeter-grpc-2', '--json'], {home});
    assert.equal(again.code, 1);
    assert.equal(again.json<{error: {code: string}}>().error.code, 'INSTANCE_NOT_RUNNING');
    const r = await runDial(['instance', 'restart', 'greeter-grpc-2', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const back = r.json<View>();
    assert.equal(back.state, 'ready');
    assert.equal(back.health, 'passing');
    assert.deepEqual(back.faults, {latencyMs: 0, errorRate: 0, hang: false});
    assert.equal((await hello(`127.0.0.1:${back.port}`)).code, 0);
  });

  it('bad input: unknown instance (exit 1, with a suggestion), bad flag values (exit 2)', async () => {
    const u = await runDial(['instance', 'heal', 'greeter-grpc-3'], {home});
    assert.equal(u.code, 1);
    assert.match(u.stderr, /no instance 'greeter-grpc-3' \(did you mean/);
    assert.match(u.stderr, /hint: +see 'dial instance list'/);
    assert.equal((await runDial(['instance', 'slow', 'greeter-grpc-1', '--latency', 'soon'], {home})).code, 2);
    assert.equal((await runDial(['instance', 'fail', 'greeter-grpc-1', '--rate', '1.5'], {home})).code, 2);
  });
});

describe('dial instance without a cluster', () => {
  it('says no cluster runs (exit 3)', async (t) => {
    const {tempHome} = await import('../helpers/cli.js');
    const r = await runDial(['instance', 'list'], {home: tempHome(t)});
    assert.equal(r.code, 3);
    assert.match(r.stderr, /no local cluster is running/);
  });
});
