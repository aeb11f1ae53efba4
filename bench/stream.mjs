// Streaming throughput: a server stream of 100,000 small messages
// (helloworld.Greeter/SayHelloStreamReply) printed as NDJSON, `dial call
// --ndjson` (reflection included) next to a minimal @grpc/grpc-js script.
// Reported as messages/s; target: dial at least as fast as the script.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {compare, round} from './harness.mjs';

export default async function stream({root, runs}) {
  const home = mkdtempSync(join(tmpdir(), 'dial-bench-'));
  const bin = join(root, 'bin', 'run.js');
  const env = {...process.env, DIAL_HOME: home, NO_COLOR: '1'};
  const count = Number(process.env.BENCH_STREAM_MESSAGES ?? 100_000);
  try {
    const up = JSON.parse(execFileSync(process.execPath, [bin, 'cluster', 'up', '--port', '0', '--instances', '1', '--demos', 'grpc', '--json'], {env}).toString());
    const target = `127.0.0.1:${up.instances.find((i) => i.id.startsWith('greeter-grpc')).port}`;
    const rows = compare({
      anchor: {name: 'grpc-js script (pre-loaded .proto)', cmd: process.execPath, args: [join(root, 'bench', 'anchors', 'grpc-js-stream.mjs'), target, String(count)]},
      subjects: [{name: 'dial call --ndjson (reflection)', cmd: process.execPath, args: [bin, 'call', target, 'helloworld.Greeter/SayHelloStreamReply', '-d', JSON.stringify({name: 'ada', count}), '--ndjson']}],
      runs: Math.max(3, Math.round(runs / 3)),
      warmup: 1,
      env,
      discardStdout: true,
      bothCa: true,
    });
    for (const r of rows) r.msgPerSec = Math.round(count / (r.medianMs / 1000));
    return {title: `server stream of ${count} messages as NDJSON, whole process`, rows, target: `dial at least as fast as the grpc-js script (x${round(rows[1].ratio, 2)}; lower is better)`};
  } finally {
    execFileSync(process.execPath, [bin, 'cluster', 'down'], {env});
    rmSync(home, {recursive: true, force: true});
  }
}
