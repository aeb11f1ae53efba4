/**
 * Real etcd and ZooKeeper servers for tests and benchmarks, from the Debian
 * packages (etcd-server, zookeeperd): started on free loopback ports in temp
 * dirs, stopped (and their dirs removed) by stop(). When a binary is missing
 * the start functions return a skip message naming the apt-get command.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createConnection, createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export const ETCD_BIN = '/usr/bin/etcd';
export const ZK_JAR = '/usr/share/java/zookeeper.jar';

export interface StoreServer {
  /** host:port of the client port */
  hostPort: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const {port} = srv.address() as {port: number};
  await new Promise((r) => srv.close(r));
  return port;
}

export async function waitFor(what: string, child: ChildProcess, ok: () => Promise<boolean>, ms: number, log: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) during start-up:\n${log()}`);
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${ms / 1000}s:\n${log()}`);
}

export function stopper(child: ChildProcess, dir: string) {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const exited = new Promise((r) => child.once('exit', r));
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, {recursive: true, force: true});
  };
}

/** etcd v3 on free loopback ports (or a skip message when /usr/bin/etcd is missing). */
export async function startEtcd(): Promise<StoreServer | string> {
  if (!existsSync(ETCD_BIN)) return 'etcd is not installed: apt-get install -y etcd-server';
  const dir = mkdtempSync(join(tmpdir(), 'dial-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  let log = '';
  const child = spawn(ETCD_BIN, [
    '--name', 'dial-test', '--data-dir', join(dir, 'data'),
    '--listen-client-urls', `http://127.0.0.1:${client}`, '--advertise-client-urls', `http://127.0.0.1:${client}`,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `dial-test=http://127.0.0.1:${peer}`, '--log-level', 'warn',
  ], {stdio: ['ignore', 'pipe', 'pipe']});
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const stop = stopper(child, dir);
  try {
    await waitFor('etcd', child, async () => {
      try {
        const r = await fetch(`http://127.0.0.1:${client}/health`);
        return r.ok && ((await r.json()) as {health?: string}).health === 'true';
      } catch {
        return false;
      }
    }, 20_000, () => log);
  } catch (e) {
    await stop();
    throw e;
  }
  return {hostPort: `127.0.0.1:${client}`, stop};
}

/** A standalone ZooKeeper on a free loopback port (or a skip message when zookeeperd is missing). */
export async function startZookeeper(): Promise<StoreServer | string> {
  if (!existsSync(ZK_JAR) || !existsSync('/usr/bin/java')) return 'ZooKeeper is not installed: apt-get install -y zookeeperd';
  const dir = mkdtempSync(join(tmpdir(), 'dial-zk-'));
  const port = await freePort();
  writeFileSync(join(dir, 'zoo.cfg'), `tickTime=500\ndataDir=${join(dir, 'data')}\nclientPort=${port}\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n4lw.commands.whitelist=ruok\nmaxSessionTimeout=20000\n`);
  writeFileSync(join(dir, 'log4j.properties'), 'log4j.rootLogger=WARN, CONSOLE\nlog4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender\nlog4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout\n');
  let log = '';
  const child = spawn('/usr/bin/java', [
    '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Dzookeeper.admin.enableServer=false', '-Dzookeeper.jmx.log4j.disable=true',
    '-cp', `${dir}:${ZK_JAR}`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', join(dir, 'zoo.cfg'),
  ], {stdio: ['ignore', 'pipe', 'pipe']});
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const stop = stopper(child, dir);
  try {
    await waitFor('ZooKeeper', child, () => new Promise((resolve) => {
      const s = createConnection({host: '127.0.0.1', port}, () => s.write('ruok'));
      // A server that accepts but does not answer yet must not stall the probe: retry instead.
      s.setTimeout(1000, () => s.destroy());
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('close', () => resolve(got === 'imok'));
      s.on('error', () => resolve(false));
    }), 30_000, () => log);
  } catch (e) {
    await stop();
    throw e;
  }
  return {hostPort: `127.0.0.1:${port}`, stop};
}
