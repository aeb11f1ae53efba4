// Whole-process `dial call` of the unary greeter via reflection, side by side
// in one run with `buf curl` (a native binary, also via reflection) and a
// minimal @grpc/grpc-js script with a pre-loaded .proto. Targets: dial at most
// 1.5x buf curl, and faster than the script.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {compare, round} from './harness.mjs';

export default async function call({root, runs}) {
  const home = mkdtempSync(join(tmpdir(), 'dial-bench-'));
  const bin = join(root, 'bin', 'run.js');
  const buf = join(root, 'node_modules', '.bin', 'buf');
  const env = {...process.env, DIAL_HOME: home, NO_COLOR: '1'};
  try {
    const up = JSON.parse(execFileSync(process.execPath, [bin, 'cluster', 'up', '--port', '0', '--instances', '1', '--demos', 'grpc', '--json'], {env}).toString());
    const target = `127.0.0.1:${up.instances.find((i) => i.id.startsWith('greeter-grpc')).port}`;
    const script = {name: 'grpc-js script (pre-loaded .proto)', cmd: process.execPath, args: [join(root, 'bench', 'anchors', 'grpc-js-call.mjs'), target]};
    const dialHostPort = {name: 'dial call HOST:PORT (reflection)', cmd: process.execPath, args: [bin, 'call', target, 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}']};
    const dialRegistry = {name: 'dial call greeter (registry + reflection)', cmd: process.execPath, args: [bin, 'call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}']};
    const rows = existsSync(buf)
      ? compare({
          anchor: {name: 'buf curl (reflection)', cmd: buf, args: ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', '-d', '{"name":"ada"}', `http://${target}/helloworld.Greeter/SayHello`]},
          subjects: [dialHostPort, dialRegistry, script],
          runs,
          env,
        })
      : compare({anchor: script, subjects: [dialHostPort, dialRegistry], runs, env});
    const ms = (name) => rows.find((r) => r.name === name)?.medianMs;
    const vsScript = round(ms(dialHostPort.name) / ms(script.name), 2);
    for (const r of rows) if (r.name.startsWith('dial')) r.vsScript = round(r.medianMs / ms(script.name), 2);
    return {
      title: 'unary call, whole process',
      rows,
      target: `dial call HOST:PORT at most 1.5x buf curl (x${rows[1].ratio}) and faster than the grpc-js script (x${vsScript})`,
    };
  } finally {
    execFileSync(process.execPath, [bin, 'cluster', 'down'], {env});
    rmSync(home, {recursive: true, force: true});
  }
}
