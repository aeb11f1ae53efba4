import {fork, type ChildProcess} from 'node:child_process';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {ROOT} from '../helpers/cli.js';

/**
 * Runs one demo instance process (from dist/) the way the daemon does: IPC
 * channel, identity in the environment, and a stand-in registry that accepts
 * every registration. Resolves when the instance reports 'ready'.
 */
export async function runDemo(kind: string, entry: string): Promise<{child: ChildProcess; hostPort: string; registrations: unknown[]; send(m: object): void; stop(): Promise<void>}> {
  const registrations: unknown[] = [];
  const registry: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (body) registrations.push(JSON.parse(body));
      res.end('true');
    });
  });
  await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
  const child = fork(join(ROOT, 'dist', 'src', entry), [], {
    env: {...process.env, DIAL_INSTANCE_ID: `${kind}-1`, DIAL_INSTANCE_KIND: kind, DIAL_REGISTRY_URL: `http://127.0.0.1:${(registry.address() as AddressInfo).port}`},
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not become ready`)), 15_000);
    child.on('message', (m: {type?: string; port?: number}) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m.port!);
      }
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
  return {
    child, hostPort: `127.0.0.1:${port}`, registrations,
    send: (m) => child.send(m),
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      registry.closeAllConnections();
      await new Promise((r) => registry.close(r));
    },
  };
}

/** Sends a fault message and gives the instance a moment to apply it. */
export async function setFault(demo: {send(m: object): void}, fault: object): Promise<void> {
  demo.send({type: 'fault', ...fault});
  await new Promise((r) => setTimeout(r, 100));
}
