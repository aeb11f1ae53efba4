// Whole-process `dial call` of the unary greeter via reflection, side by side
// in one run with the native `buf curl` binary (also via reflection; found
// through @bufbuild/buf's platform package, not node_modules/.bin/buf, which
// is a Node script that starts it) and a minimal @grpc/grpc-js script with a
// pre-loaded .proto. Targets: `dial call HOST:PORT` at most 1.5x buf curl,
// `dial call greeter` (registry name, same instance) at most 1.8x, and dial
// faster than the script. Node subjects also run with NODE_EXTRA_CA_CERTS
// when the machine sets it (withCaMs, withCaRatio).
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {compare, nativeBuf, round} from './harness.mjs';

export default async function call({root, runs}) {
  const home = mkdtempSync(join(tmpdir(), 'dial-bench-'));
  const bin = join(root, 'bin', 'run.js');
  const buf = nativeBuf(root);
  const env = {...process.env, DIAL_HOME: home, NO_COLOR: '1'};
  try {
    const up = JSON.parse(execFileSync(process.execPath, [bin, 'cluster', 'up', '--port', '0', '--instances', '1', '--demos', 'grpc', '--json'], {env}).toString());
    const target = `127.0.0.1:${up.instances.find((i) => i.id.startsWith('greeter-grpc')).port}`;
    const script = {name: 'grpc-js script (pre-loaded .proto)', cmd: process.execPath, args: [join(root, 'bench', 'anchors', 'grpc-js-call.mjs'), target]};
    const dialHostPort = {name: 'dial call HOST:PORT (reflection)', cmd: process.execPath, args: [bin, 'call', target, 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}']};
    const dialRegistry = {name: 'dial call greeter (registry + reflection)', cmd: process.execPath, args: [bin, 'call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}']};
    const nodeFloor = {name: "node -e '' (floor of any node process)", cmd: process.execPath, args: ['-e', '']};
    const anchor = buf
      ? {name: 'buf curl, native binary (reflection)', cmd: buf, args: ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', '-d', '{"name":"ada"}', `http://${target}/helloworld.Greeter/SayHello`]}
      : script;
    const rows = compare({anchor, subjects: [dialHostPort, dialRegistry, ...(buf ? [script] : []), nodeFloor], runs, env, bothCa: true});
    const row = (name) => rows.find((r) => r.name === name);
    for (const r of rows) if (r.name.startsWith('dial')) r.vsScript = round(r.medianMs / row(script.name).medianMs, 2);
    const ca = (r) => (r.withCaRatio === undefined ? '' : `; with NODE_EXTRA_CA_CERTS x${r.withCaRatio}`);
    const [hp, reg] = [row(dialHostPort.name), row(dialRegistry.name)];
    return {
      title: `unary call, whole process${buf ? '' : ' (native buf missing: anchor is the grpc-js script)'}`,
      rows,
      target: `dial call HOST:PORT at most 1.5x native buf curl (x${hp.ratio}${ca(hp)}); dial call greeter at most 1.8x (x${reg.ratio}${ca(reg)}); faster than the grpc-js script (x${hp.vsScript})`,
    };
  } finally {
    execFileSync(process.execPath, [bin, 'cluster', 'down'], {env});
    rmSync(home, {recursive: true, force: true});
  }
}
