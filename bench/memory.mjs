// Peak resident set size. `dial call HOST:PORT` (unary, reflection) against
// the native `buf curl` binary doing the same call (GNU time's %M, the
// kernel's ru_maxrss of each whole process; median of 5). Target: dial at
// most 1.5x buf's + 40 MiB. Then the daemon of the default cluster
// (`dial cluster up`, every demo), after a few hundred registry requests and
// calls: its VmHWM from /proc, and the demo instances' together.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {nativeBuf, peakRssMiB, procRssMiB, round} from './harness.mjs';

export default async function memory({root}) {
  const home = mkdtempSync(join(tmpdir(), 'dial-bench-'));
  const bin = join(root, 'bin', 'run.js');
  const buf = nativeBuf(root);
  const env = {...process.env, DIAL_HOME: home, NO_COLOR: '1'};
  delete env.NODE_EXTRA_CA_CERTS;
  try {
    const up = JSON.parse(execFileSync(process.execPath, [bin, 'cluster', 'up', '--port', '0', '--json'], {env}).toString());
    const grpc = up.instances.find((i) => i.id.startsWith('greeter-grpc'));
    const target = `127.0.0.1:${grpc.port}`;
    const rows = [];
    const bufMiB = buf ? peakRssMiB(buf, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', '-d', '{"name":"ada"}', `http://${target}/helloworld.Greeter/SayHello`], {env}) : undefined;
    if (bufMiB === undefined) return {title: 'peak RSS (skipped: needs /usr/bin/time (apt-get install -y time) and the native buf binary)', rows: []};
    const dialMiB = peakRssMiB(process.execPath, [bin, 'call', target, 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}'], {env});
    const regMiB = peakRssMiB(process.execPath, [bin, 'call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}'], {env});
    const nodeMiB = peakRssMiB(process.execPath, ['-e', ''], {env});
    const budget = round(1.5 * bufMiB + 40);
    rows.push({name: 'buf curl, native binary (reflection)', medianMs: '', ratio: '', peakMiB: bufMiB, anchor: true});
    rows.push({name: 'dial call HOST:PORT (reflection)', medianMs: '', ratio: round(dialMiB / bufMiB, 2), peakMiB: dialMiB, budgetMiB: budget, ok: dialMiB <= budget ? 'yes' : 'NO'});
    rows.push({name: 'dial call greeter (registry + reflection)', medianMs: '', ratio: round(regMiB / bufMiB, 2), peakMiB: regMiB, budgetMiB: budget, ok: regMiB <= budget ? 'yes' : 'NO'});
    rows.push({name: "node -e '' (floor of any node process)", medianMs: '', ratio: round(nodeMiB / bufMiB, 2), peakMiB: nodeMiB});
    // Some work for the daemon: registry reads and writes from the CLI, and a bench through the registry.
    for (let i = 0; i < 5; i++) execFileSync(process.execPath, [bin, 'discover', 'greeter', '--json'], {env});
    execFileSync(process.execPath, [bin, 'bench', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}', '-n', '2000', '-c', '20', '--json'], {env});
    const daemon = procRssMiB(up.pid);
    const demos = up.instances.map((i) => procRssMiB(i.pid));
    rows.push({name: `daemon of the default cluster (${up.instances.length} demo instances)`, medianMs: '', ratio: '', peakMiB: daemon.peak, nowMiB: daemon.now});
    rows.push({name: `its ${up.instances.length} demo instances together`, medianMs: '', ratio: '', peakMiB: round(demos.reduce((s, d) => s + d.peak, 0)), nowMiB: round(demos.reduce((s, d) => s + d.now, 0))});
    return {
      title: 'peak resident set size (MiB; NODE_EXTRA_CA_CERTS unset)',
      rows,
      target: `dial call peak RSS at most 1.5x native buf curl's + 40 MiB (${budget} MiB; dial ${dialMiB} MiB, by name ${regMiB} MiB)`,
    };
  } finally {
    execFileSync(process.execPath, [bin, 'cluster', 'down'], {env});
    rmSync(home, {recursive: true, force: true});
  }
}
