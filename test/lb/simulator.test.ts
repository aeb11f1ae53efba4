import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {buildSimConfig, parseBackends, runSimulation, type StrategyResult} from '../../src/lb/simulator/index.js';

const run = (input: Parameters<typeof buildSimConfig>[0], strategies: string) => runSimulation(buildSimConfig(input).config, strategies).results;
const by = (results: StrategyResult[], name: string) => results.find((r) => r.strategy === name)!;
const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual / expected - 1) <= tolerance, `${what}: ${actual.toFixed(3)}, expected ${expected.toFixed(3)} within ${tolerance * 100}%`);

describe('simulator against queueing theory', () => {
  it('random routing to identical M/M/1 servers at utilization 0.8: mean sojourn 5/mu, p99 ln(100)*5/mu (about 23/mu)', () => {
    // mu = 1 per ms: each server's sojourn time is exponential with rate mu(1 - rho) = 0.2/ms.
    const [r] = run({backends: 'b*4:lat=1ms', utilization: 0.8, requests: 400_000, seed: 1}, 'random');
    near(r.latency.mean, 5, 0.04, 'mean sojourn (ms)');
    near(r.latency.p99, Math.log(100) * 5, 0.04, 'p99 sojourn (ms)');
    near(r.latency.p50, Math.log(2) * 5, 0.05, 'median sojourn (ms)');
    for (const b of r.backends) near(b.utilization, 0.8, 0.03, `utilization of ${b.id}`);
  });

  it('homogeneous: least connections (JSQ) beats P2C beats random on mean latency', () => {
    for (const seed of [1, 2]) {
      const results = run({backends: 'b*10:lat=1ms', utilization: 0.9, requests: 100_000, seed}, 'least-connections,p2c,random');
      const [jsq, p2c, rnd] = ['least-connections', 'p2c', 'random'].map((n) => by(results, n).latency.mean);
      assert.ok(jsq < p2c && p2c < rnd, `seed ${seed}: jsq ${jsq.toFixed(2)}, p2c ${p2c.toFixed(2)}, random ${rnd.toFixed(2)}`);
      assert.ok(p2c < rnd / 2, 'P2C is far better than random at high load');
    }
  });

  it('a backend at a quarter of the speed at 80% load: random and round robin grow an unbounded queue, least connections stays stable', () => {
    const input = (requests: number) => ({backends: 'b*4:lat=1ms;slow:lat=4ms', utilization: 0.8, requests, seed: 3});
    const [short, long] = [20_000, 40_000].map((n) => run(input(n), 'random,round-robin,least-connections'));
    const slow = (rs: StrategyResult[], name: string) => by(rs, name).backends.find((b) => b.id === 'slow')!;
    for (const name of ['random', 'round-robin']) {
      // The slow backend gets 1/5 of the load, 0.52/ms against a capacity of 0.25/ms: its queue grows by ~0.27/ms.
      const [a, b] = [slow(short, name).queueAtEnd, slow(long, name).queueAtEnd];
      assert.ok(a > 2000, `${name}: queue at the slow backend after 20k requests: ${a}`);
      assert.ok(b > 1.8 * a, `${name}: the queue keeps growing (${a} -> ${b})`);
      assert.ok(by(long, name).latency.p99 > 1000, `${name}: p99 ${by(long, name).latency.p99}`);
    }
    for (const rs of [short, long]) {
      const lc = by(rs, 'least-connections');
      assert.ok(Math.max(...lc.backends.map((b) => b.maxQueue)) < 40, `least connections: max queue ${Math.max(...lc.backends.map((b) => b.maxQueue))}`);
      assert.ok(lc.latency.p99 < 20, `least connections: p99 ${lc.latency.p99}`);
    }
  });
});

describe('simulator behaviour', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const once = (seed: number) => JSON.stringify(run({scenario: 'churn', requests: 20_000, seed}, 'p2c,ring').map((r) => ({...r, wallMs: 0})));
    assert.equal(once(7), once(7));
    assert.notEqual(once(7), once(8));
  });

  it('closed loop with constant service times: latency and throughput are exact', () => {
    const [r] = run({backends: 'b*2:lat=10ms,dist=const,conc=100', clients: 10, requests: 10_000}, 'round-robin');
    assert.equal(r.latency.p50, 10);
    assert.equal(r.latency.p999, 10);
    near(r.throughput, 1000, 0.001, 'throughput (10 clients / 10ms)');
  });

  it('membership changes: the ring moves about 1/N of the keys, hash mod N most of them', () => {
    const results = run({scenario: 'churn', requests: 60_000, seed: 1}, 'ring,maglev,rendezvous,hash');
    for (const name of ['ring', 'maglev', 'rendezvous']) {
      const moved = by(results, name).keysRemapped!;
      assert.ok(moved > 0.05 && moved < 0.16, `${name}: ${moved}`);
    }
    assert.ok(by(results, 'hash').keysRemapped! > 0.8);
    const b10 = by(results, 'ring').backends.find((b) => b.id === 'b10')!;
    const b11 = by(results, 'ring').backends.find((b) => b.id === 'b11')!;
    assert.ok(b10.share > 0.02 && b10.share < 0.045 && b11.share > 0.03 && b11.share < 0.055, `b10 ${b10.share}, b11 ${b11.share}`);
  });

  it('failing backends and full queues count as errors', () => {
    const [rr] = run({scenario: 'failing-backend', requests: 20_000}, 'round-robin');
    near(rr.errorRate, 0.2, 0.001, 'round robin error rate with 1 of 5 failing');
    const [q] = run({backends: 'a:lat=10ms,queue=0', rate: 1000, requests: 5000}, 'random');
    assert.ok(q.errorRate > 0.8, `queue=0 at 10x capacity rejects most: ${q.errorRate}`);
  });

  it('hot keys overload a hashing strategy; bounded loads keep the spread', () => {
    const results = run({scenario: 'hot-keys', requests: 40_000}, 'ring,bounded-load');
    const [ring, bounded] = [by(results, 'ring'), by(results, 'bounded-load')];
    assert.ok(ring.load.maxOverMean > 1.8 && bounded.load.maxOverMean < 1.5, `max/mean: ring ${ring.load.maxOverMean}, bounded ${bounded.load.maxOverMean}`);
    assert.ok(bounded.latency.p99 * 10 < ring.latency.p99, `p99: ring ${ring.latency.p99}, bounded ${bounded.latency.p99}`);
  });

  it('rejects bad specs with usage errors', () => {
    assert.throws(() => parseBackends('a:lat=fast'), /not a duration/);
    assert.throws(() => parseBackends('a:w=0'), /not a positive number/);
    assert.throws(() => parseBackends('a:colour=red'), /unknown option 'colour'/);
    assert.throws(() => parseBackends('a;a'), /appears twice/);
    assert.throws(() => parseBackends('a:join=10%'), /none is there at the start/);
    assert.equal(parseBackends('fast*3:lat=5ms;slow').map((b) => b.id).join(','), 'fast1,fast2,fast3,slow');
    assert.throws(() => buildSimConfig({}), /--scenario NAME or --backends SPEC/);
    assert.throws(() => buildSimConfig({scenario: 'slow'}), /did you mean 'slow-backend'/);
    assert.throws(() => buildSimConfig({backends: '3', rate: 10, utilization: 0.5}), /not both/);
  });
});
