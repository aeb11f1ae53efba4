import {accountOf, COORDINATOR, INITIAL_BALANCE} from '../bank.js';
import type {TxnEvent} from '../events.js';
import {NO_FAULTS, route, type Faults} from '../faults.js';
import {ProcessHost, type Envelope, type HostIO} from '../host.js';
import {streamRandom} from '../rng.js';
import type {LogRecord, MachineConfig, Pid, TxnSpec} from '../types.js';

/** A log in memory that behaves like a log buffer: a crash loses what no force has made durable. */
export class MemoryLog {
  records: LogRecord[] = [];
  durable = 0;

  append(r: LogRecord, force: boolean): void {
    this.records.push(r);
    if (force) this.durable = this.records.length;
  }

  crash(): void {
    this.records = this.records.slice(0, this.durable);
  }
}

interface SimProcess {
  id: Pid;
  host?: ProcessHost;
  log: MemoryLog;
  timers: Map<string, number>;
  incarnation: number;
  crashedAt?: number;
  /** Crashed at least once in this world. */
  everCrashed: boolean;
}

interface Scheduled {
  at: number;
  seq: number;
  run: () => Promise<void> | void;
}

/** Network latency of every message in the simulator, virtual ms. */
export const SIM_LATENCY_MS = 1;

/**
 * The in-process world of the randomized trials and `txn run --in-process`:
 * the same ProcessHost and state machines as the real processes, on virtual
 * time, a seeded random source, memory logs and a simulated network with the
 * run's faults. Fully deterministic for a seed.
 */
export class SimWorld {
  readonly events: TxnEvent[] = [];
  readonly procs = new Map<Pid, SimProcess>();
  private queue: Scheduled[] = [];
  private seq = 0;
  private clock = 0;
  private readonly net = {partitioned: false, dropped: [] as number[]};
  private firedCrashes = new Set<string>();
  readonly random: () => number;

  constructor(
    readonly participants: Pid[],
    readonly cfg: MachineConfig,
    public faults: Faults = NO_FAULTS,
    seed = 1,
  ) {
    this.random = streamRandom(seed, -1);
    for (const id of [COORDINATOR, ...participants]) {
      this.procs.set(id, {id, log: new MemoryLog(), timers: new Map(), incarnation: 0, everCrashed: false});
    }
    if (faults.partition && !faults.partition.at) this.net.partitioned = true;
    if (faults.partition?.at && 'ms' in faults.partition.at) {
      this.schedule(faults.partition.at.ms, () => this.startPartition());
    }
  }

  get now(): number {
    return this.clock;
  }

  async start(): Promise<void> {
    for (const id of this.procs.keys()) await this.boot(id, false);
  }

  begin(spec: TxnSpec): Promise<void> {
    return this.procs.get(COORDINATOR)!.host!.input({kind: 'begin', spec});
  }

  isUp(id: Pid): boolean {
    const h = this.procs.get(id)!.host;
    return Boolean(h && !h.dead);
  }

  /** Kills a process from outside (a crash at a random moment). */
  kill(id: Pid, why = 'killed'): void {
    const p = this.procs.get(id)!;
    if (!p.host || p.host.dead) return;
    p.host.kill();
    this.events.push({t: this.clock, proc: id, kind: 'crash', detail: why});
    this.down(p);
  }

  /** Restarts every crashed process (it recovers from its log). */
  async restartAll(): Promise<void> {
    for (const p of this.procs.values()) if (!p.host || p.host.dead) await this.boot(p.id, true);
  }

  /** Repairs the network: no more partition, drops, loss or delays, and no more crash points. */
  heal(): void {
    this.faults = NO_FAULTS;
    this.net.partitioned = false;
  }

  schedule(inMs: number, run: () => Promise<void> | void): void {
    const item = {at: this.clock + inMs, seq: ++this.seq, run};
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1].at > item.at || (this.queue[i - 1].at === item.at && this.queue[i - 1].seq > item.seq))) i--;
    this.queue.splice(i, 0, item);
  }

  /** Runs events until `done()` holds after an event, the queue is empty, or virtual time passes `untilMs`. */
  async run(untilMs: number, done: () => boolean = () => false, maxSteps = 20_000): Promise<void> {
    let steps = 0;
    while (this.queue.length && this.queue[0].at <= untilMs && steps++ < maxSteps) {
      const item = this.queue.shift()!;
      this.clock = item.at;
      await item.run();
      if (done()) return;
    }
    if (!this.queue.length || this.queue[0].at > untilMs) this.clock = Math.max(this.clock, untilMs);
  }

  private startPartition(): void {
    if (this.net.partitioned || !this.faults.partition) return;
    this.net.partitioned = true;
    this.events.push({t: this.clock, proc: COORDINATOR, kind: 'note', text: `network partition: ${this.faults.partition.groups.map((g) => g.join(',')).join(' | ')}`});
  }

  private down(p: SimProcess): void {
    p.log.crash();
    for (const key of p.timers.keys()) p.timers.delete(key);
    p.crashedAt = this.clock;
    p.everCrashed = true;
  }

  private async boot(id: Pid, restarted: boolean): Promise<void> {
    const p = this.procs.get(id)!;
    p.incarnation++;
    const io = this.io(p);
    if (restarted) this.events.push({t: this.clock, proc: id, kind: 'start', detail: 'restarted'});
    p.host = await ProcessHost.recover({
      id,
      role: id === COORDINATOR ? 'coordinator' : 'participant',
      records: [...p.log.records],
      cfg: this.cfg,
      io,
      incarnation: String(p.incarnation),
      account: id === COORDINATOR ? undefined : {account: accountOf(id), balance: INITIAL_BALANCE, policy: {voteNo: this.faults.voteNo.includes(id)}},
      restarted,
    });
  }

  private io(p: SimProcess): HostIO {
    const incarnation = p.incarnation;
    const alive = () => p.incarnation === incarnation && p.host !== undefined && !p.host.dead;
    return {
      now: () => this.clock,
      append: (r, force) => p.log.append(r, force),
      send: (env) => this.transmit(env),
      setTimer: (key, ms, fire) => {
        const token = ++this.seq;
        p.timers.set(key, token);
        this.schedule(ms, async () => {
          if (p.timers.get(key) !== token || !alive()) return;
          p.timers.delete(key);
          await fire();
        });
      },
      clearTimer: (key) => void p.timers.delete(key),
      point: (name) => {
        const pt = this.faults.partition?.at;
        if (pt && 'point' in pt && pt.point.proc === p.id && pt.point.point === name) this.startPartition();
        const key = `${p.id}:${name}`;
        if (this.faults.crash.some((c) => c.proc === p.id && c.point === name) && !this.firedCrashes.has(key)) {
          this.firedCrashes.add(key);
          return true;
        }
        return false;
      },
      crash: () => this.down(p),
      emit: (ev) => this.events.push(ev),
    };
  }

  private transmit(env: Envelope): void {
    const fate = route(this.faults, this.net, env.from, env.to, env.msg, this.random);
    if (!fate.deliver) {
      this.events.push({t: this.clock, proc: env.from, kind: 'drop', to: env.to, msg: env.msg, id: env.id, reason: fate.reason});
      return;
    }
    this.schedule(SIM_LATENCY_MS + fate.delayMs, async () => {
      const target = this.procs.get(env.to);
      if (!target?.host || target.host.dead) {
        this.events.push({t: this.clock, proc: env.from, kind: 'drop', to: env.to, msg: env.msg, id: env.id, reason: 'down'});
        return;
      }
      await target.host.input({kind: 'recv', from: env.from, msg: env.msg}, env, fate.delayMs || undefined);
    });
  }
}
