import assert from 'node:assert/strict';
import {rmSync} from 'node:fs';
import {after, before, describe, it} from 'node:test';
import {GhzCollector, goErrorText, linearHistogram, percentiles, type GhzReport, type LoadReport} from '../../../src/lb/real/index.js';
import {runDial, tempHome} from '../../helpers/cli.js';
import {startGrpcJsGreeter, type RunningServer} from '../../helpers/grpc-servers.js';

describe("ghz's report shapes (src/lb/real/ghz.ts)", () => {
  it("percentiles follow ghz's rank rule", () => {
    const v = Float64Array.from({length: 20}, (_, i) => i + 1); // 1..20
    // 10 % of 20 = rank 2 (whole): index 1; 25 % = 5 (whole): index 4; 95 % = 19: index 18; 99 % = 19.8: index 19.
    assert.deepEqual(percentiles(v).map((p) => [p.percentage, p.latencyMs]), [[10, 2], [25, 5], [50, 10], [75, 15], [90, 18], [95, 19], [99, 20]]);
    assert.deepEqual(percentiles(Float64Array.of(7)).map((p) => p.latencyMs), [7, 7, 7, 7, 7, 7, 7]);
  });

  it('the histogram has 11 linear marks from fastest to slowest, each value at the first mark at or above it', () => {
    const h = linearHistogram(Float64Array.of(0, 1, 1, 2.5, 10));
    assert.deepEqual(h.map((b) => b.markMs), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(h.map((b) => b.count), [1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal(h[1].frequency, 0.4);
    assert.deepEqual(linearHistogram(Float64Array.of(3, 3)).map((b) => b.count), [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('the collector counts statuses and errors as ghz names them, and writes CSV rows', () => {
    const c = new GhzCollector();
    c.add({startedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 600), latencyMs: 2, code: 0});
    c.add({startedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 700), latencyMs: 4, code: 14, message: 'down, "really"'});
    c.add({startedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 800), latencyMs: 6, code: 0});
    const run = {target: 't', method: 'm', concurrency: 2, totalMs: 100} as LoadReport;
    const r = c.report(run, {data: {name: 'ada'}, timeoutMs: 20_000, requests: 3, cpus: 2, now: new Date(0)});
    assert.deepEqual(r.statusCodeDistribution, {OK: 2, Unavailable: 1});
    assert.deepEqual(r.errorDistribution, {'rpc error: code = Unavailable desc = down, "really"': 1});
    assert.deepEqual([r.count, r.total, r.average, r.fastest, r.slowest, r.rps], [3, 100e6, 4e6, 2e6, 6e6, 30]);
    assert.deepEqual(r.options, {host: 't', call: 'm', total: 3, concurrency: 2, timeout: 20e9, data: {name: 'ada'}, CPUs: 2});
    assert.equal(r.details[1].status, 'Unavailable');
    assert.equal(r.details[1].error, goErrorText(14, 'down, "really"'));
    assert.equal(r.details[0].error, '');
    assert.equal(r.details[0].latency, 2e6);
    assert.equal(new Date(r.details[0].timestamp).getTime(), Date.UTC(2026, 0, 2, 3, 4, 5, 600));
    assert.equal(c.csv(), 'duration (ms),status,error\n2.00,OK,\n4.00,Unavailable,"rpc error: code = Unavailable desc = down, ""really"""\n6.00,OK,');
  });
});

describe('dial bench flags against a greeter', {concurrency: false}, () => {
  const home = tempHome();
  let server: RunningServer;
  const hello = ['helloworld.Greeter/SayHello', '-d', '{"name":"ada"}'];
  before(async () => {
    server = await startGrpcJsGreeter();
  });
  after(async () => {
    await server.close();
    rmSync(home, {recursive: true, force: true});
  });
  const bench = (args: string[]) => runDial(['bench', server.address, ...hello, ...args], {home});

  it("--format json prints ghz's report; pretty indents it; csv has one row per request", async () => {
    const [j, p, c] = await Promise.all([bench(['-n', '40', '-c', '4', '--format', 'json']), bench(['-n', '10', '-c', '2', '-O', 'pretty']), bench(['-n', '25', '-c', '5', '--format', 'csv'])]);
    assert.equal(j.code, 0, j.stderr);
    const g = j.json<GhzReport>();
    assert.equal(g.count, 40);
    assert.deepEqual(g.statusCodeDistribution, {OK: 40});
    assert.deepEqual(g.errorDistribution, {});
    assert.deepEqual(g.latencyDistribution!.map((l) => l.percentage), [10, 25, 50, 75, 90, 95, 99]);
    assert.equal(g.histogram!.length, 11);
    assert.equal(g.histogram!.reduce((a, b) => a + b.count, 0), 40);
    assert.equal(g.details.length, 40);
    assert.ok(Number.isInteger(g.total) && g.total > 0 && g.fastest <= g.average * 40 && g.fastest <= g.slowest);
    assert.ok(Math.abs(g.rps - g.count / (g.total / 1e9)) < 1e-6 * g.rps);
    assert.deepEqual([g.options.host, g.options.call, g.options.total, g.options.concurrency], [server.address, 'helloworld.Greeter/SayHello', 40, 4]);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /^\{\n {2}"date": /);
    assert.equal(p.json<GhzReport>().count, 10);
    assert.equal(c.code, 0, c.stderr);
    const rows = c.stdout.trim().split('\n');
    assert.equal(rows[0], 'duration (ms),status,error');
    assert.equal(rows.length, 26);
    for (const r of rows.slice(1)) assert.match(r, /^\d+\.\d\d,OK,$/);
  });

  it('--rps spaces the starts; --duration bounds the run', async () => {
    const [rps, dur] = await Promise.all([bench(['-n', '20', '-c', '5', '--rps', '50', '--json']), bench(['--duration', '400ms', '-c', '2', '--json'])]);
    assert.equal(rps.code, 0, rps.stderr);
    const r = rps.json<LoadReport>();
    assert.equal(r.count, 20);
    assert.equal(r.rps, 50);
    // The 20th request starts 19/50 s after the first.
    assert.ok(r.totalMs >= 370, `20 requests at 50/s took ${r.totalMs}ms`);
    assert.equal(dur.code, 0, dur.stderr);
    const d = dur.json<LoadReport>();
    assert.ok(d.count > 0);
    assert.ok(d.totalMs >= 400 && d.totalMs < 5000, `--duration 400ms ran ${d.totalMs}ms`);
  });

  it('failed calls are data: a deadline nobody can meet gives DeadlineExceeded in the distributions, exit 0', async () => {
    const r = await bench(['-n', '6', '-c', '2', '-t', '1us', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const g = r.json<GhzReport>();
    assert.deepEqual(g.statusCodeDistribution, {DeadlineExceeded: 6});
    assert.deepEqual(Object.values(g.errorDistribution), [6]);
    assert.match(Object.keys(g.errorDistribution)[0], /^rpc error: code = DeadlineExceeded desc = /);
    assert.equal(g.latencyDistribution, null);
    assert.equal(g.details.every((d) => d.status === 'DeadlineExceeded' && d.error.startsWith('rpc error')), true);
  });

  it('bad input is a usage error (exit 2) that names the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--rps', '0'], /rps/],
      [['--rps', '-5'], /rps/],
      [['--duration', 'soon'], /--duration: 'soon' is not a duration/],
      [['--duration', '0s'], /--duration: '0s' sends nothing/],
      [['-c', '0'], /concurrency/],
      [['-n', '0'], /requests/],
      [['-n', '5', '--duration', '1s'], /duration|requests/],
      [['--format', 'xml'], /format/],
      [['--format', 'csv', '--json'], /--format csv and --json/],
      [['-t', 'never'], /--timeout/],
    ];
    const results = await Promise.all(cases.map(([args]) => bench(args)));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, `${cases[i][0].join(' ')}: exit ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, cases[i][1], cases[i][0].join(' '));
    });
  });
});
