import {type ChildProcess, spawn} from 'node:child_process';
import {mkdirSync, openSync, closeSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {isAlive, waitForExit} from './pidfile.js';

/** What to run for one supervised instance. */
export interface InstanceSpec {
  /** Unique id, also the registry service ID (e.g. greeter-grpc-1). */
  id: string;
  /** Kind, e.g. "greeter-grpc"; see instance-kinds.ts. */
  kind: string;
  /** Compiled JS entry to run with node. */
  entry: string;
  env?: Record<string, string>;
}

export type InstanceState = 'starting' | 'ready' | 'exited';

export interface InstanceInfo {
  id: string;
  kind: string;
  pid: number | undefined;
  state: InstanceState;
  port?: number;
  startedAt: string;
  exitCode?: number | null;
  signal?: string | null;
  logFile: string;
}

/** Messages an instance sends to the supervisor over its IPC channel. */
export type InstanceMessage = {type: 'ready'; port: number} | {type: 'log'; line: string};

/**
 * Starts instances as child processes of the daemon, each with its own log
 * file and an IPC channel (an instance exits when the channel closes, so a
 * killed daemon leaves no orphans). Keeps DIAL_HOME/instances/state.json
 * current so `dial cluster down` can clean up even after a daemon crash.
 */
export class Supervisor {
  private readonly children = new Map<string, {spec: InstanceSpec; child?: ChildProcess; info: InstanceInfo}>();
  private readonly stateFile: string;

  constructor(private readonly dir: string, private readonly baseEnv: Record<string, string>, private readonly onEvent?: (e: {id: string; event: string; detail?: string}) => void) {
    mkdirSync(dir, {recursive: true, mode: 0o700});
    this.stateFile = join(dir, 'state.json');
  }

  start(spec: InstanceSpec): InstanceInfo {
    const existing = this.children.get(spec.id);
    if (existing?.child && existing.info.state !== 'exited') return existing.info;
    const logFile = join(this.dir, `${spec.id}.log`);
    const fd = openSync(logFile, 'a', 0o600);
    const child = spawn(process.execPath, [spec.entry], {
      env: {...process.env, ...this.baseEnv, ...spec.env, DIAL_INSTANCE_ID: spec.id, DIAL_INSTANCE_KIND: spec.kind},
      stdio: ['ignore', fd, fd, 'ipc'],
    });
    closeSync(fd);
    const info: InstanceInfo = {id: spec.id, kind: spec.kind, pid: child.pid, state: 'starting', startedAt: new Date().toISOString(), logFile};
    this.children.set(spec.id, {spec, child, info});
    child.on('message', (m: InstanceMessage) => {
      if (m?.type === 'ready') {
        info.state = 'ready';
        info.port = m.port;
        this.onEvent?.({id: spec.id, event: 'ready', detail: `port ${m.port}`});
        this.persist();
      }
    });
    child.on('exit', (code, signal) => {
      info.state = 'exited';
      info.exitCode = code;
      info.signal = signal;
      this.onEvent?.({id: spec.id, event: 'exited', detail: signal ? `signal ${signal}` : `code ${code}`});
      this.persist();
    });
    child.on('error', (e) => this.onEvent?.({id: spec.id, event: 'error', detail: e.message}));
    this.onEvent?.({id: spec.id, event: 'started', detail: `pid ${child.pid}`});
    this.persist();
    return info;
  }

  /** Restarts an exited (or running) instance with its original spec. */
  async restart(id: string): Promise<InstanceInfo | undefined> {
    const entry = this.children.get(id);
    if (!entry) return undefined;
    await this.stop(id);
    return this.start(entry.spec);
  }

  send(id: string, message: unknown): boolean {
    const c = this.children.get(id)?.child;
    if (!c || !c.connected) return false;
    c.send(message as object);
    return true;
  }

  /** Signals an instance (e.g. SIGKILL for fault injection). */
  kill(id: string, signal: NodeJS.Signals): boolean {
    const c = this.children.get(id);
    if (!c?.child || c.info.state === 'exited') return false;
    return c.child.kill(signal);
  }

  async stop(id: string, timeoutMs = 3000): Promise<void> {
    const c = this.children.get(id);
    if (!c?.child?.pid || c.info.state === 'exited') return;
    c.child.kill('SIGTERM');
    if (!(await waitForExit(c.child.pid, timeoutMs))) c.child.kill('SIGKILL');
    await waitForExit(c.child.pid, 1000);
  }

  async stopAll(timeoutMs = 3000): Promise<void> {
    await Promise.all([...this.children.keys()].map((id) => this.stop(id, timeoutMs)));
    this.persist();
  }

  list(): InstanceInfo[] {
    return [...this.children.values()].map((c) => ({...c.info, pid: c.info.state === 'exited' ? undefined : c.info.pid}));
  }

  get(id: string): InstanceInfo | undefined {
    return this.children.get(id)?.info;
  }

  private persist(): void {
    const pids = this.list().filter((i) => i.pid && isAlive(i.pid)).map((i) => ({id: i.id, pid: i.pid}));
    writeFileSync(this.stateFile, JSON.stringify({daemonPid: process.pid, instances: pids}) + '\n', {mode: 0o600});
  }
}
