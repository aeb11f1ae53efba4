import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {KeysReport} from '../../src/lb/index.js';
import type {SimulationReport} from '../../src/lb/simulator/index.js';
import {runDial, tempHome} from '../helpers/cli.js';

describe('dial lb simulate | keys | strategies', () => {
  const home = tempHome();

  it('simulate --json ranks every strategy, the same for the same seed', async () => {
    const args = ['lb', 'simulate', '--scenario', 'slow-backend', '-n', '4000', '--seed', '5', '--json'];
    const [a, b] = await Promise.all([runDial(args, {home}), runDial(args, {home})]);
    assert.equal(a.code, 0, a.stderr);
    const [ra, rb] = [a.json<SimulationReport>(), b.json<SimulationReport>()];
    assert.equal(ra.results.length, 13);
    assert.equal(ra.scenario, 'slow-backend');
    assert.deepEqual(ra.ranking, rb.ranking);
    assert.deepEqual(ra.results.map((r) => r.latency), rb.results.map((r) => r.latency));
    assert.ok(ra.ranking.indexOf('least-connections') < ra.ranking.indexOf('round-robin'));
  });

  it('simulate prints the comparison table, shares and charts; --csv prints CSV', async () => {
    const r = await runDial(['lb', 'simulate', '--backends', 'a:w=3,lat=20ms;b:lat=10ms', '-s', 'p2c,wrr', '-n', '2000', '--utilization', '70%'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /#\s+STRATEGY\s+P50\s+P90\s+P99\s+P99\.9\s+MEAN\s+REQ\/S\s+ERRORS\s+MAX\/MEAN\s+CV/);
    assert.match(r.stdout, /share of requests per backend/);
    assert.match(r.stdout, /p99 latency by strategy/);
    const one = await runDial(['lb', 'simulate', '--scenario', 'slow-backend', '-s', 'rr', '-n', '3000'], {home});
    assert.match(one.stdout, /latency histogram/);
    assert.match(one.stdout, /waiting requests over the run/);
    const csv = await runDial(['lb', 'simulate', '--scenario', 'churn', '-s', 'ring,hash', '-n', '3000', '--csv'], {home});
    const lines = csv.stdout.trim().split('\n');
    assert.match(lines[0], /^strategy,kind,p50_ms,.*,keys_remapped,share_b1,/);
    assert.equal(lines.length, 3);
  });

  it('simulate rejects bad input with exit 2 and a hint', async () => {
    const r = await runDial(['lb', 'simulate', '--backends', 'a:lat=soon'], {home});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a duration/);
    assert.equal((await runDial(['lb', 'simulate', '--scenario', 'churn', '--strategy', 'p3c'], {home})).code, 2);
    assert.equal((await runDial(['lb', 'simulate'], {home})).code, 2);
  });

  it('keys shows the spread and the keys that move', async () => {
    const r = await runDial(['lb', 'keys', '-s', 'maglev', '--backends', '10', '--keys', '20000', '--remove', '1', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const k = r.json<KeysReport>();
    assert.equal(k.before.backends.length, 10);
    assert.deepEqual(k.change?.backends, ['b10']);
    assert.ok(k.change!.movedFraction >= k.change!.minimalFraction && k.change!.movedFraction < 0.2);
    const h = await runDial(['lb', 'keys', '-s', 'hash', '--add', '1'], {home});
    assert.match(h.stdout, /adding b11 moved \d+ keys \((8|9)\d\.\d%\)/);
    assert.equal((await runDial(['lb', 'keys', '--remove', 'zz'], {home})).code, 2);
    for (const n of ['10', '11', '0']) {
      const over = await runDial(['lb', 'keys', '--backends', '10', '--remove', n], {home});
      assert.equal(over.code, 2, `--remove ${n} of 10`);
      assert.match(over.stderr, /remove 1\.\.9 backends/);
    }
  });

  it('strategies lists all thirteen', async () => {
    const r = await runDial(['lb', 'strategies', '--json'], {home});
    assert.equal(r.json<{strategies: unknown[]}>().strategies.length, 13);
  });
});
