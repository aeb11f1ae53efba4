// `dial bench` against the minimal grpc-js load loop, same greeter, same run:
// N calls, C in flight, alternating, median requests/s of each.
// Target: dial bench reaches at least the anchor's requests/s.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {median, round} from './harness.mjs';

export default async function lbBench({root}) {
  const home = mkdtempSync(join(tmpdir(), 'dial-bench-'));
  const bin = join(root, 'bin', 'run.js');
  const env = {...process.env, DIAL_HOME: home, NO_COLOR: '1'};
  const [n, c, runs] = [Number(process.env.BENCH_LOAD_N ?? 20_000), 50, Number(process.env.BENCH_LOAD_RUNS ?? 5)];
  try {
    const up = JSON.parse(execFileSync(process.execPath, [bin, 'cluster', 'up', '--port', '0', '--instances', '1', '--json'], {env}).toString());
    const target = `127.0.0.1:${up.instances[0].port}`;
    const anchor = () => JSON.parse(execFileSync(process.execPath, [join(root, 'bench', 'anchors', 'grpc-js-load.mjs'), target, String(n), String(c)], {env}).toString()).rps;
    const dial = () => JSON.parse(execFileSync(process.execPath, [bin, 'bench', target, 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}', '-n', String(n), '-c', String(c), '--json'], {env}).toString()).requestsPerSecond;
    anchor();
    dial();
    const [a, d] = [[], []];
    for (let i = 0; i < runs; i++) {
      a.push(anchor());
      d.push(dial());
    }
    const [ma, md] = [median(a), median(d)];
    return {
      title: `unary SayHello load, ${n} calls, ${c} in flight, one greeter instance (median of ${runs})`,
      rows: [
        {name: 'grpc-js load loop (pre-loaded .proto)', medianMs: '', ratio: '', 'req/s': Math.round(ma), anchor: true},
        {name: 'dial bench HOST:PORT', medianMs: '', ratio: round(md / ma, 2), 'req/s': Math.round(md), ok: md >= ma ? 'yes' : 'NO'},
      ],
      target: `dial bench at least the anchor's requests/s at the same concurrency (ratio >= 1.0; x${round(md / ma, 2)})`,
    };
  } finally {
    execFileSync(process.execPath, [bin, 'cluster', 'down'], {env});
    rmSync(home, {recursive: true, force: true});
  }
}
