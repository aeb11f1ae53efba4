/**
 * Real RabbitMQ and Mosquitto brokers for tests and benchmarks, from the
 * Debian packages (rabbitmq-server, mosquitto): started on free loopback
 * ports in temp dirs, stopped (with everything they started: RabbitMQ's own
 * epmd too) and their dirs removed by stop(). kill() is a kill -9 of the
 * broker that keeps its dir, so start() brings the same broker back with what
 * it had stored. When a package is missing the start functions return a skip
 * message naming the apt-get command.
 */
import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createConnection} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {freePort, stopper, waitFor} from './stores.js';

export const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
export const EPMD = '/usr/bin/epmd';
export const MOSQUITTO = '/usr/sbin/mosquitto';
export const MOSQUITTO_PUB = '/usr/bin/mosquitto_pub';
export const MOSQUITTO_SUB = '/usr/bin/mosquitto_sub';
export const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';

export const RABBITMQ_MISSING = existsSync(RABBITMQ_SERVER) && existsSync(EPMD) ? undefined : 'RabbitMQ is not installed: apt-get install -y rabbitmq-server';
export const MOSQUITTO_MISSING = [MOSQUITTO, MOSQUITTO_PUB, MOSQUITTO_SUB, MOSQUITTO_PASSWD].every((p) => existsSync(p)) ? undefined : 'Mosquitto is not installed: apt-get install -y mosquitto mosquitto-clients';

export interface BrokerServer {
  /** --broker URL (credentials included for RabbitMQ: guest:guest). */
  url: string;
  host: string;
  port: number;
  /** kill -9 of the broker (its epmd and dir stay: start() brings it back with what it stored). */
  kill(): Promise<void>;
  /** Starts it again on the same port and dir after kill(). */
  start(): Promise<void>;
  /** Stops everything it started and removes its dir. */
  stop(): Promise<void>;
  /** What the broker wrote to stdout/stderr so far. */
  log(): string;
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({host: '127.0.0.1', port}, () => {
      s.destroy();
      resolve(true);
    });
    s.setTimeout(1000, () => s.destroy());
    s.on('error', () => resolve(false));
    s.on('close', () => resolve(false));
  });
}

/**
 * Every broker process started here, killed when this process ends however it
 * ends (a test file the runner times out or interrupts skips its after()
 * hooks): no beam.smp, epmd or mosquitto outlives the tests.
 */
const running = new Set<ChildProcess>();
function track(child: ChildProcess): ChildProcess {
  if (running.size === 0) {
    process.once('exit', killAll);
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      process.once(sig, () => {
        killAll();
        process.exit(128 + ({SIGTERM: 15, SIGINT: 2, SIGHUP: 1} as const)[sig]);
      });
    }
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
/** The temp dirs of the brokers still running, removed with them. */
const dirs = new Set<string>();
function killAll(): void {
  for (const c of running) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, {recursive: true, force: true});
}

function capture(child: ChildProcess, onData: (s: string) => void): void {
  child.stdout?.on('data', (d: Buffer) => onData(d.toString()));
  child.stderr?.on('data', (d: Buffer) => onData(d.toString()));
}

async function killHard(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

let nodes = 0;

/**
 * RabbitMQ on a free loopback port, as root, all state in a temp dir: a
 * unique node name, its own epmd on a free port (killed by stop()), its own
 * Erlang cookie (HOME), no plugins but the management API when asked
 * (on a free port). User guest/guest.
 */
export async function startRabbitMQ(opts: {management?: boolean} = {}): Promise<(BrokerServer & {ctl(args: string[]): Promise<string>; managementUrl?: string}) | string> {
  if (RABBITMQ_MISSING) return RABBITMQ_MISSING;
  const dir = mkdtempSync(join(tmpdir(), 'dial-rabbitmq-'));
  dirs.add(dir);
  const [port, dist, epmdPort] = [await freePort(), await freePort(), await freePort()];
  const mgmt = opts.management ? await freePort() : undefined;
  const node = `dial-${process.pid}-${++nodes}@localhost`;
  writeFileSync(join(dir, 'rabbitmq.conf'), [
    `listeners.tcp.1 = 127.0.0.1:${port}`, 'log.console = true', 'log.console.level = warning', 'log.file = false',
    // a test machine's disk and memory are shared: do not block publishers on the defaults' alarms
    'disk_free_limit.absolute = 1MB', 'vm_memory_high_watermark.absolute = 2GB',
    ...(mgmt ? [`management.tcp.ip = 127.0.0.1`, `management.tcp.port = ${mgmt}`] : []), '',
  ].join('\n'));
  writeFileSync(join(dir, 'enabled_plugins'), mgmt ? '[rabbitmq_management].\n' : '[].\n');
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  const env: Record<string, string> = {
    ...process.env as Record<string, string>,
    HOME: dir, RABBITMQ_NODENAME: node, RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1', RABBITMQ_NODE_PORT: String(port), RABBITMQ_DIST_PORT: String(dist),
    ERL_EPMD_PORT: String(epmdPort), ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'), RABBITMQ_LOG_BASE: join(dir, 'log'), RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'), RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'), RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    RABBITMQ_PLUGINS_EXPAND_DIR: join(dir, 'plugins-expand'), RABBITMQ_FEATURE_FLAGS_FILE: join(dir, 'feature_flags'),
    // exec the VM in place of the script, so the child is beam.smp itself and a kill is a real crash
    RUNNING_UNDER_SYSTEMD: 'true',
  };
  delete env.NOTIFY_SOCKET;
  let log = '';
  mkdirSync(join(dir, 'log'));
  // Our own epmd in the foreground: the node registers there, and stop() ends it (the one a node starts itself outlives it).
  const epmd = track(spawn(EPMD, ['-port', String(epmdPort), '-address', '127.0.0.1'], {stdio: ['ignore', 'pipe', 'pipe'], env}));
  capture(epmd, (s) => (log += `[epmd] ${s}`));
  let beam: ChildProcess | undefined;
  const stopEpmd = stopper(epmd, dir);
  const start = async () => {
    beam = track(spawn(RABBITMQ_SERVER, [], {cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe']}));
    capture(beam, (s) => (log += s));
    // the AMQP port opens once the broker boots; then the default user exists
    await waitFor('rabbitmq-server', beam, () => portOpen(port), 90_000, () => log);
    if (mgmt) await waitFor('rabbitmq_management', beam, () => portOpen(mgmt), 60_000, () => log);
  };
  const stop = async () => {
    if (beam && beam.exitCode === null && beam.signalCode === null) {
      const exited = new Promise((r) => beam!.once('exit', r));
      beam.kill('SIGTERM');
      const t = setTimeout(() => beam!.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    }
    await stopEpmd();
    dirs.delete(dir);
  };
  try {
    await waitFor('epmd', epmd, () => portOpen(epmdPort), 10_000, () => log);
    await start();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}/`, host: '127.0.0.1', port, kill: () => killHard(beam), start, stop, log: () => log, ctl: (args) => rabbitmqctl(env, args),
    ...(mgmt ? {managementUrl: `http://127.0.0.1:${mgmt}`} : {}),
  };
}

/** rabbitmqctl against the node of `env` (its name, cookie and epmd): an independent view of queues and consumers. */
function rabbitmqctl(env: Record<string, string>, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/lib/rabbitmq/bin/rabbitmqctl', ['-q', '-n', env.RABBITMQ_NODENAME, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    capture(child, (s) => (out += s));
    const t = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(t);
      if (code === 0) resolve(out);
      else reject(new Error(`rabbitmqctl ${args.join(' ')} failed (${code}): ${out}`));
    });
  });
}

/**
 * Mosquitto on two free loopback ports: `url` anonymous, `authUrl` with a
 * password file (dial/secret) and an ACL that allows only `allowed/#`.
 * `conf`: more lines for mosquitto.conf (general settings, before the listeners).
 */
export async function startMosquitto(opts: {conf?: string[]} = {}): Promise<(BrokerServer & {authPort: number; authUrl: string}) | string> {
  if (MOSQUITTO_MISSING) return MOSQUITTO_MISSING;
  const dir = mkdtempSync(join(tmpdir(), 'dial-mosquitto-'));
  dirs.add(dir);
  const [port, authPort] = [await freePort(), await freePort()];
  const pw = spawnSync(MOSQUITTO_PASSWD, ['-b', '-c', join(dir, 'passwd'), 'dial', 'secret'], {encoding: 'utf8'});
  if (pw.status !== 0) throw new Error(`mosquitto_passwd failed: ${pw.stderr}`);
  writeFileSync(join(dir, 'acl'), 'user dial\ntopic readwrite allowed/#\n');
  writeFileSync(join(dir, 'mosquitto.conf'), [
    ...(opts.conf ?? []), 'user root', 'persistence false', 'sys_interval 1', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type subscribe', 'per_listener_settings true',
    `listener ${port} 127.0.0.1`, 'allow_anonymous true',
    `listener ${authPort} 127.0.0.1`, 'allow_anonymous false', `password_file ${join(dir, 'passwd')}`, `acl_file ${join(dir, 'acl')}`, '',
  ].join('\n'));
  let log = '';
  let child: ChildProcess | undefined;
  const start = async () => {
    child = track(spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], {stdio: ['ignore', 'pipe', 'pipe']}));
    capture(child, (s) => (log += s));
    const c = child;
    await waitFor('mosquitto', c, async () => (await portOpen(port)) && (await portOpen(authPort)), 20_000, () => log);
  };
  const stop = async () => {
    if (child) await stopper(child, dir)();
    else rmSync(dir, {recursive: true, force: true});
    dirs.delete(dir);
  };
  try {
    await start();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url: `mqtt://127.0.0.1:${port}`, host: '127.0.0.1', port, authPort, authUrl: `mqtt://dial:secret@127.0.0.1:${authPort}`,
    kill: () => killHard(child), start, stop, log: () => log,
  };
}
