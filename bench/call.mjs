// `dial call HOST:PORT` (reflection) against a minimal grpc-js script with a
// pre-loaded .proto (target: dial no slower), on a greeter of a temp cluster.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {compare} from './harness.mjs';

export default async function call({root, runs}) {
  const home = mkdtempSync(join(tmpdir(), 'dial-bench-'));
  const bin = join(root, 'bin', 'run.js');
  const env = {...process.env, DIAL_HOME: home, NO_COLOR: '1'};
  try {
    const up = JSON.parse(execFileSync(process.execPath, [bin, 'cluster', 'up', '--port', '0', '--instances', '1', '--json'], {env}).toString());
    const target = `127.0.0.1:${up.instances[0].port}`;
    const rows = compare({
      anchor: {name: 'grpc-js script (pre-loaded .proto)', cmd: process.execPath, args: [join(root, 'bench', 'anchors', 'grpc-js-call.mjs'), target]},
      subjects: [
        {name: 'dial call HOST:PORT (reflection)', cmd: process.execPath, args: [bin, 'call', target, 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}']},
        {name: 'dial call greeter (registry + reflection)', cmd: process.execPath, args: [bin, 'call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}']},
      ],
      runs,
      env,
    });
    return {title: 'unary call, whole process', rows, target: 'dial call HOST:PORT no slower than the grpc-js script (ratio <= 1.0)'};
  } finally {
    execFileSync(process.execPath, [bin, 'cluster', 'down'], {env});
    rmSync(home, {recursive: true, force: true});
  }
}
