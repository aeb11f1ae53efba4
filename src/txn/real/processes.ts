import {existsSync, mkdirSync, readdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {Agent} from 'undici';
import {request} from '../../util/http-request.js';
import type {DaemonContext} from '../../runtime/daemon/extensions.js';
import {distEntry} from '../../runtime/entry-points.js';
import {COORDINATOR} from '../bank.js';
import {NO_FAULTS} from '../faults.js';
import type {Pid} from '../types.js';
import type {ConfigureBody, ProcStatus} from './wire.js';

export const instanceId = (p: Pid) => `txn-${p}`;

/**
 * The txn processes of a cluster: the coordinator 'c' and participants
 * p1..pN, each a supervised child of the daemon with its log in
 * DIAL_HOME/txn/<id>.log. Started on demand; restarted by `txn recover`.
 */
export class TxnProcesses {
  readonly dir: string;
  private readonly agent = new Agent({keepAliveTimeout: 10_000});
  /** Stopped by a reset (not crashed): the next run starts them afresh. */
  private readonly retired = new Set<Pid>();
  /** What every process is told (the current run's faults and clock). */
  cfg: ConfigureBody = {peers: {}, faults: NO_FAULTS, runStart: Date.now(), timeoutMs: 300, fsync: true, trace: true, partitioned: false, seed: 1};

  constructor(private readonly ctx: DaemonContext) {
    this.dir = join(ctx.paths.home, 'txn');
    mkdirSync(this.dir, {recursive: true, mode: 0o700});
  }

  logFile(p: Pid): string {
    return join(this.dir, `${p}.log`);
  }

  /** Processes with a log (they held an account or coordinated before). */
  known(): Pid[] {
    const ids = readdirSync(this.dir).filter((f) => f.endsWith('.log')).map((f) => f.slice(0, -4));
    return ids.sort((a, b) => (a === COORDINATOR ? -1 : b === COORDINATOR ? 1 : Number(a.slice(1)) - Number(b.slice(1))));
  }

  state(p: Pid): 'up' | 'down' | 'never started' {
    const info = this.ctx.supervisor.get(instanceId(p));
    if (!info || this.retired.has(p)) return 'never started';
    return info.state === 'exited' ? 'down' : 'up';
  }

  exitOf(p: Pid): string | undefined {
    const info = this.ctx.supervisor.get(instanceId(p));
    return info?.state === 'exited' ? (info.signal ?? `exit ${info.exitCode}`) : undefined;
  }

  port(p: Pid): number | undefined {
    const info = this.ctx.supervisor.get(instanceId(p));
    return info?.state === 'ready' ? info.port : undefined;
  }

  pid(p: Pid): number | undefined {
    const info = this.ctx.supervisor.get(instanceId(p));
    return info?.state === 'exited' ? undefined : info?.pid;
  }

  /** Starts (or restarts) a process and waits until it listens; it recovers from its log when configured. */
  async start(p: Pid): Promise<void> {
    this.retired.delete(p);
    this.ctx.supervisor.start({
      id: instanceId(p),
      kind: p === COORDINATOR ? 'txn-coordinator' : 'txn-participant',
      entry: distEntry('txn/real/process-main.js'),
      env: {DIAL_TXN_PROC: p, DIAL_TXN_LOG: this.logFile(p)},
    });
    const deadline = Date.now() + 15_000;
    while (this.port(p) === undefined) {
      if (this.state(p) === 'down') throw new Error(`txn process ${p} exited during start-up; see 'dial cluster logs ${instanceId(p)}'`);
      if (Date.now() > deadline) throw new Error(`txn process ${p} did not start within 15s`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Tells every live process the peers' ports and the current configuration. */
  async configureAll(procs: Pid[]): Promise<void> {
    const peers: Record<Pid, number> = {};
    for (const p of procs) {
      const port = this.port(p);
      if (port !== undefined) peers[p] = port;
    }
    this.cfg.peers = peers;
    await Promise.all(Object.keys(peers).map((p) => this.call(p, '/ctl/configure', this.cfg).catch(() => undefined)));
  }

  async call<T>(p: Pid, path: string, body?: unknown, timeoutMs = 5_000): Promise<T> {
    const port = this.port(p);
    if (port === undefined) throw new Error(`${p} is down`);
    const res = await request(`http://127.0.0.1:${port}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      dispatcher: this.agent,
      headers: {'content-type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${p} ${path}: HTTP ${res.statusCode} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  async status(p: Pid): Promise<ProcStatus | undefined> {
    if (this.state(p) !== 'up') return undefined;
    return this.call<ProcStatus>(p, '/ctl/status').catch(() => undefined);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.known().map((p) => this.ctx.supervisor.stop(instanceId(p))));
  }

  /** Stops every txn process and deletes the logs: fresh accounts. */
  async reset(): Promise<void> {
    await this.stopAll();
    for (const p of this.known()) this.retired.add(p);
    for (const f of readdirSync(this.dir)) rmSync(join(this.dir, f), {force: true});
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  hasLog(p: Pid): boolean {
    return existsSync(this.logFile(p));
  }
}
