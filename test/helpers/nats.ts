/**
 * A real nats-server (Debian package nats-server) for tests and benchmarks: on
 * a free loopback port, JetStream on with its store in a temp dir, optionally
 * with a user and password or a config of its own; stop() ends it and removes
 * the dir. Without the binary, startNats returns a skip message.
 */
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {createConnection} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {freePort, stopper, waitFor} from './stores.js';

/** Why a nats-server test skips (undefined: it is installed). */
export const NATS_MISSING = spawnSync('nats-server', ['--version']).status === 0 ? undefined : 'nats-server is not installed: apt-get install -y nats-server';

export interface NatsServer {
  /** 127.0.0.1:PORT */
  hostPort: string;
  port: number;
  /** nats://[user:pass@]127.0.0.1:PORT */
  url: string;
  pid: number;
  /** Resolves once `count` client subscriptions on `subject` exist (the server's monitoring /connz), or fails after `ms`. */
  waitForSubscriptions(subject: string, count?: number, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface NatsOptions {
  user?: string;
  pass?: string;
  /** Extra nats-server config (the listen address and JetStream store are set here). */
  config?: string;
  /** Reuse this port (a restart). */
  port?: number;
  /** JetStream on (default true). */
  jetstream?: boolean;
}

/** nats-server -js on a free 127.0.0.1 port, or a skip message. */
export async function startNats(o: NatsOptions = {}): Promise<NatsServer | string> {
  if (NATS_MISSING) return NATS_MISSING;
  const dir = mkdtempSync(join(tmpdir(), 'dial-nats-'));
  const port = o.port ?? await freePort();
  const monitor = await freePort();
  const conf = join(dir, 'nats.conf');
  const js = o.jetstream === false ? '' : `jetstream {store_dir: "${join(dir, 'js')}", max_memory_store: 64MB, max_file_store: 256MB}\n`;
  writeFileSync(conf, `listen: 127.0.0.1:${port}\nhttp: 127.0.0.1:${monitor}\n${js}${o.config ?? ''}\n`);
  const args = ['-c', conf, ...(o.user ? ['--user', o.user, '--pass', o.pass ?? ''] : [])];
  let log = '';
  const child = spawn('nats-server', args, {stdio: ['ignore', 'pipe', 'pipe']});
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const stop = stopper(child, dir);
  try {
    // ready once it sends its INFO line
    await waitFor('nats-server', child, () => new Promise((resolve) => {
      const s = createConnection({host: '127.0.0.1', port});
      s.setTimeout(1000, () => s.destroy());
      s.once('data', (d) => {
        resolve(d.toString().startsWith('INFO '));
        s.destroy();
      });
      s.on('error', () => resolve(false));
      s.on('close', () => resolve(false));
    }), 15_000, () => log);
  } catch (e) {
    await stop();
    throw e;
  }
  const auth = o.user ? `${encodeURIComponent(o.user)}:${encodeURIComponent(o.pass ?? '')}@` : '';
  const waitForSubscriptions = async (subject: string, count = 1, ms = 15_000) => {
    const deadline = Date.now() + ms;
    let seen = 0;
    while (Date.now() < deadline) {
      const r = await fetch(`http://127.0.0.1:${monitor}/connz?subs=1`).then((x) => x.json() as Promise<{connections?: {subscriptions_list?: string[]}[]}>).catch(() => ({connections: []}));
      seen = (r.connections ?? []).flatMap((c) => c.subscriptions_list ?? []).filter((x) => x === subject).length;
      if (seen >= count) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`${count} subscription(s) on '${subject}' did not appear within ${ms}ms (${seen} did)`);
  };
  return {hostPort: `127.0.0.1:${port}`, port, url: `nats://${auth}127.0.0.1:${port}`, pid: child.pid!, waitForSubscriptions, stop};
}
