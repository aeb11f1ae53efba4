import {spawn} from 'node:child_process';
import {chmodSync, closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {ensureDialHome, homePaths, readClusterFile, removeClusterFile, type ClusterInfo} from '../config/index.js';
import {DialError, ExitCode} from '../errors/index.js';
import type {HttpClient} from '../registry/http-client.js';
import {DAEMON_CONFIG_ENV, type DaemonConfig} from './daemon/config.js';
import {distEntry} from './entry-points.js';
import {isAlive, readPid, waitForExit} from './pidfile.js';
import type {InstanceInfo} from './supervisor.js';

export interface ClusterUpOptions {
  home: string;
  host?: string;
  port?: number;
  /** The broker's Kafka listener port; default 9092, or any free port when `port` is 0. */
  kafkaPort?: number;
  instances?: number;
  /** Demo names to start (`--demos`); undefined = all. */
  demos?: string[];
  tls?: DaemonConfig['tls'];
  /** ACL token (cluster up --token): written to DIAL_HOME/token (0600); writes to the registry then need it. */
  token?: string;
  tokenFile?: string;
  tokenReads?: boolean;
  /** How long to wait for the daemon and its instances to be ready (ms). */
  timeoutMs?: number;
  /** Reports progress lines (for a spinner). */
  onProgress?: (message: string) => void;
}

export interface ClusterStatus {
  running: boolean;
  home: string;
  pid?: number;
  api?: ClusterInfo['api'];
  /** The broker's Kafka listener (bootstrap address for Kafka clients). */
  kafka?: ClusterInfo['kafka'];
  startedAt?: string;
  uptimeSeconds?: number;
  ready?: boolean;
  registryIndex?: number;
  instances?: InstanceInfo[];
  logFile: string;
  /** Set when a stale pid file or cluster file (process gone) was found and removed. */
  cleanedStale?: boolean;
}

export interface ClusterUpResult {
  /** False when a cluster was already running and was left as it is. */
  started: boolean;
  status: ClusterStatus;
}

interface DaemonStatusBody {
  index: number;
  pid: number;
  startedAt: string;
  ready: boolean;
  instances: InstanceInfo[];
}

/** Loaded only when a cluster runs: the HTTP client (undici) is not needed to learn that none does. */
async function client(info: ClusterInfo): Promise<HttpClient> {
  const {daemonHttpClient} = await import('./daemon-client.js');
  return daemonHttpClient(info, {timeoutMs: 3000, unreachableHint: "run 'dial cluster down' and 'dial cluster up' to restart it"});
}

async function fetchDaemonStatus(info: ClusterInfo): Promise<DaemonStatusBody> {
  const c = await client(info);
  try {
    return (await c.send<DaemonStatusBody>('GET', '/v1/dial/status')).body;
  } finally {
    await c.close();
  }
}

/** Removes files a dead daemon left behind; true when something was removed. */
function cleanStale(home: string): boolean {
  const p = homePaths(home);
  const pid = readPid(p.pidFile);
  const info = readClusterFile(home);
  const alive = (pid !== undefined && isAlive(pid)) || (info !== undefined && isAlive(info.pid));
  if (alive || (pid === undefined && info === undefined)) return false;
  rmSync(p.pidFile, {force: true});
  removeClusterFile(home);
  return true;
}

/** The state of the local cluster in `home`. Never throws for "not running". */
export async function clusterStatus(home: string): Promise<ClusterStatus> {
  const p = homePaths(home);
  const cleanedStale = cleanStale(home);
  const info = readClusterFile(home);
  const pid = readPid(p.pidFile) ?? info?.pid;
  if (!info || pid === undefined || !isAlive(pid)) {
    return {running: false, home, logFile: p.logFile, ...(cleanedStale ? {cleanedStale} : {}), ...(pid && isAlive(pid) ? {pid} : {})};
  }
  const s = await fetchDaemonStatus(info);
  return {
    running: true, home, pid, api: info.api, ...(info.kafka ? {kafka: info.kafka} : {}), startedAt: s.startedAt,
    uptimeSeconds: Math.round((Date.now() - Date.parse(s.startedAt)) / 1000),
    ready: s.ready, registryIndex: s.index, instances: s.instances, logFile: p.logFile,
    ...(cleanedStale ? {cleanedStale} : {}),
  };
}

/**
 * Writes --token to DIAL_HOME/token (0600) and returns its path; removes a
 * token file of an earlier cluster when this one has no token.
 */
function prepareTokenFile(home: string, opts: ClusterUpOptions): string | undefined {
  const file = homePaths(home).tokenFile;
  if (opts.token) {
    writeFileSync(file, `${opts.token}\n`, {mode: 0o600});
    chmodSync(file, 0o600);
    return file;
  }
  if (!opts.tokenFile) rmSync(file, {force: true});
  return opts.tokenFile;
}

/** Kafka's own default port, unless the registry takes any free port (then the listener does too). */
export const DEFAULT_KAFKA_PORT = 9092;
const kafkaPort = (opts: ClusterUpOptions) => opts.kafkaPort ?? (opts.port === 0 ? 0 : DEFAULT_KAFKA_PORT);

/** Starts the daemon detached and waits until it and its instances are ready. */
export async function clusterUp(opts: ClusterUpOptions): Promise<ClusterUpResult> {
  const home = ensureDialHome(opts.home);
  const p = homePaths(home);
  const cleanedStale = cleanStale(home);
  const existing = readClusterFile(home);
  if (existing && isAlive(existing.pid)) return {started: false, status: await clusterStatus(home)};
  const livePid = readPid(p.pidFile);
  if (livePid !== undefined && isAlive(livePid)) {
    throw new DialError('CLUSTER_STARTING', `a cluster daemon (pid ${livePid}) is starting in ${home}`, {
      hint: "wait a moment and run 'dial cluster status'",
    });
  }
  rmSync(`${home}/daemon.error`, {force: true});
  const config: DaemonConfig = {
    home, host: opts.host ?? '127.0.0.1', port: opts.port ?? 7500, kafkaPort: kafkaPort(opts), instances: opts.instances ?? 3, demos: opts.demos,
    tls: opts.tls, tokenFile: prepareTokenFile(home, opts), tokenReads: opts.tokenReads,
  };
  const logFd = openSync(p.logFile, 'a', 0o600);
  const child = spawn(process.execPath, [distEntry('runtime/daemon/main.js')], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: {...process.env, [DAEMON_CONFIG_ENV]: JSON.stringify(config)},
  });
  closeSync(logFd);
  child.unref();
  const pid = child.pid!;
  opts.onProgress?.(`daemon started (pid ${pid}), waiting for the registry and the demo instances`);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    const failure = readDaemonError(home);
    if (failure) throw failure;
    if (!isAlive(pid)) throw daemonDied(p.logFile);
    const info = readClusterFile(home);
    if (!info) continue;
    const s = await fetchDaemonStatus(info).catch(() => undefined);
    if (s?.ready) return {started: true, status: {...(await clusterStatus(home)), ...(cleanedStale ? {cleanedStale} : {})}};
  }
  throw new DialError('CLUSTER_START_TIMEOUT', `the cluster did not become ready within ${Math.round((opts.timeoutMs ?? 30_000) / 1000)}s`, {
    hint: `see ${p.logFile} and ${p.instancesDir}/*.log; 'dial cluster down' stops what did start`,
  });
}

function readDaemonError(home: string): DialError | undefined {
  const file = `${home}/daemon.error`;
  if (!existsSync(file)) return undefined;
  try {
    const e = JSON.parse(readFileSync(file, 'utf8')) as {code: string; message: string; hint?: string};
    rmSync(file, {force: true});
    return new DialError(e.code, e.message, {hint: e.hint, exitCode: ExitCode.Failed});
  } catch {
    return undefined;
  }
}

function daemonDied(logFile: string): DialError {
  let tail = '';
  try {
    tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    // no log yet
  }
  return new DialError('DAEMON_DIED', `the cluster daemon exited during start-up${tail ? `; last log lines:\n${tail}` : ''}`, {
    hint: `see ${logFile}`,
  });
}

export interface ClusterDownResult {
  wasRunning: boolean;
  pid?: number;
  /** Instance processes that had to be killed because the daemon had not stopped them. */
  orphansKilled: number;
  cleanedStale?: boolean;
}

/** Stops the daemon (SIGTERM, then SIGKILL after `timeoutMs`) and every instance it started. */
export async function clusterDown(home: string, timeoutMs = 10_000): Promise<ClusterDownResult> {
  const p = homePaths(home);
  const info = readClusterFile(home);
  const pid = readPid(p.pidFile) ?? info?.pid;
  let wasRunning = false;
  if (pid !== undefined && isAlive(pid)) {
    wasRunning = true;
    process.kill(pid, 'SIGTERM');
    if (!(await waitForExit(pid, timeoutMs))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 2000);
    }
  }
  const orphansKilled = await killOrphans(p.instancesDir);
  const cleaned = existsSync(p.pidFile) || existsSync(p.clusterFile);
  rmSync(p.pidFile, {force: true});
  removeClusterFile(home);
  return {wasRunning, ...(pid !== undefined && wasRunning ? {pid} : {}), orphansKilled, ...(cleaned && !wasRunning ? {cleanedStale: true} : {})};
}

async function killOrphans(dir: string): Promise<number> {
  let state: {instances: {id: string; pid: number}[]};
  try {
    state = JSON.parse(readFileSync(`${dir}/state.json`, 'utf8')) as typeof state;
  } catch {
    return 0;
  }
  let killed = 0;
  for (const i of state.instances ?? []) {
    if (!isAlive(i.pid) || !isDialInstance(i.pid)) continue;
    process.kill(i.pid, 'SIGKILL');
    await waitForExit(i.pid, 1000);
    killed++;
  }
  rmSync(`${dir}/state.json`, {force: true});
  return killed;
}

/** Guards against pid reuse: only signal processes whose environment names a dial instance. */
function isDialInstance(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').includes('DIAL_INSTANCE_ID=');
  } catch {
    return process.platform !== 'linux';
  }
}

/** Runs the daemon attached to this terminal (logs on stderr) until it exits or `signal` aborts. */
export async function clusterForeground(opts: ClusterUpOptions, signal: AbortSignal): Promise<void> {
  const home = ensureDialHome(opts.home);
  cleanStale(home);
  const config: DaemonConfig = {
    home, host: opts.host ?? '127.0.0.1', port: opts.port ?? 7500, kafkaPort: kafkaPort(opts), instances: opts.instances ?? 3, demos: opts.demos,
    tls: opts.tls, tokenFile: prepareTokenFile(home, opts), tokenReads: opts.tokenReads,
  };
  rmSync(`${home}/daemon.error`, {force: true});
  const child = spawn(process.execPath, [distEntry('runtime/daemon/main.js')], {
    stdio: ['ignore', process.stderr, process.stderr],
    env: {...process.env, [DAEMON_CONFIG_ENV]: JSON.stringify(config)},
  });
  const onAbort = () => child.kill('SIGTERM');
  signal.addEventListener('abort', onAbort, {once: true});
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  signal.removeEventListener('abort', onAbort);
  const failure = readDaemonError(home);
  if (failure) throw failure;
  if (code !== 0 && !signal.aborted) throw new DialError('DAEMON_DIED', `the cluster daemon exited with code ${code}`);
}
