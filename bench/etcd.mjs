// Starts etcd (Debian's etcd-server) on free loopback ports in a temp dir for
// a benchmark; stop() ends it and removes the dir. Rejects when /usr/bin/etcd
// is missing (apt-get install -y etcd-server).
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {freePort} from './harness.mjs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export async function startEtcd() {
  if (!existsSync('/usr/bin/etcd')) throw new Error('etcd is not installed (apt-get install -y etcd-server)');
  const dir = mkdtempSync(join(tmpdir(), 'dial-bench-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const child = spawn('/usr/bin/etcd', [
    '--name', 'bench', '--data-dir', join(dir, 'data'), '--log-level', 'warn',
    '--listen-client-urls', `http://127.0.0.1:${client}`, '--advertise-client-urls', `http://127.0.0.1:${client}`,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `bench=http://127.0.0.1:${peer}`,
  ], {stdio: 'ignore'});
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, {recursive: true, force: true});
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${client}/health`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error('etcd did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {hostPort: `127.0.0.1:${client}`, stop};
}
