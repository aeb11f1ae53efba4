import {coordinatorStep, recoverCoordinator, type CoordNode} from './coordinator.js';
import type {TxnEvent} from './events.js';
import {recoverParticipant} from './participant-recovery.js';
import {participantStep, type PartNode} from './participant.js';
import type {Effect, Input, LogRecord, MachineConfig, Msg, Pid, ProcessPolicy} from './types.js';

/** A message on the wire, with an id that pairs its send and receive events. */
export interface Envelope {
  id: string;
  from: Pid;
  to: Pid;
  msg: Msg;
}

/** What a host needs from its world: a log, a network, timers, a clock, crashes. */
export interface HostIO {
  /** Milliseconds since the run started. */
  now(): number;
  /** Appends a record; with `force`, resolves when it (and everything before it) is durable. Returns the fsync time. */
  append(record: LogRecord, force: boolean): Promise<number | void> | number | void;
  /** Hands a message to the network (which may drop or delay it). */
  send(env: Envelope): void;
  setTimer(key: string, ms: number, fire: () => Promise<void>): void;
  clearTimer(key: string): void;
  /** Reached a named crash point: returns true when the process must crash here. */
  point(name: string): boolean;
  /** Dies (the simulator drops the unforced log tail; a real process SIGKILLs itself). */
  crash(point: string): Promise<void> | void;
  emit(ev: TxnEvent): void;
  /** Whether events of this kind are read at all (default yes): the host builds no event nobody reads. */
  wants?(kind: TxnEvent['kind']): boolean;
}

export type Role = 'coordinator' | 'participant';

/**
 * Runs one protocol state machine: feeds it inputs one at a time and carries
 * out its effects in order, so a record is durable before anything after it
 * is sent (the write-ahead rule), and a crash point stops the process exactly
 * there. The simulator and the real processes both use this class.
 */
export class ProcessHost {
  private queue: Promise<void> = Promise.resolve();
  private sent = 0;
  dead = false;
  /**
   * Group commit (opt-in, for batches of concurrent transactions): a step
   * that forces a record carries out its remaining effects once the record
   * is durable, as always, but the next input does not wait for that force,
   * so the forces of concurrent transactions share one fdatasync. Off, every
   * input waits for the one before it to finish (what the simulator and the
   * crash tests rely on).
   */
  pipelined = false;

  private constructor(
    readonly id: Pid,
    readonly role: Role,
    public node: CoordNode | PartNode,
    private readonly cfg: MachineConfig,
    private readonly io: HostIO,
    private readonly incarnation: string,
  ) {}

  /** Starts (or restarts) a process from its durable log and carries out what recovery asks for. */
  static async recover(opts: {
    id: Pid;
    role: Role;
    records: LogRecord[];
    cfg: MachineConfig;
    io: HostIO;
    incarnation: string;
    account?: {account: string; balance: number; policy?: ProcessPolicy};
    restarted: boolean;
    pipelined?: boolean;
  }): Promise<ProcessHost> {
    const r = opts.role === 'coordinator'
      ? recoverCoordinator(opts.id, opts.records, opts.cfg)
      : recoverParticipant(opts.id, opts.records, opts.cfg, opts.account ?? {account: opts.id, balance: 0});
    const host = new ProcessHost(opts.id, opts.role, r.node, opts.cfg, opts.io, opts.incarnation);
    host.pipelined = opts.pipelined ?? false;
    if (opts.restarted || r.summary.length > (opts.role === 'participant' ? 1 : 0)) {
      opts.io.emit({t: opts.io.now(), proc: opts.id, kind: 'recover', summary: r.summary.length ? r.summary : ['empty log']});
    }
    await host.enqueue(() => host.execute(r.effects));
    return host;
  }

  get participant(): PartNode | undefined {
    return this.role === 'participant' ? (this.node as PartNode) : undefined;
  }

  get coordinator(): CoordNode | undefined {
    return this.role === 'coordinator' ? (this.node as CoordNode) : undefined;
  }

  /** Feeds one input; inputs are handled strictly one after another. */
  input(inp: Input, env?: Envelope, delayMs?: number): Promise<void> {
    return this.enqueue(async () => {
      if (this.dead) return;
      const t = this.io.now();
      const want = (kind: TxnEvent['kind']) => this.io.wants?.(kind) ?? true;
      if (inp.kind === 'recv' && env && want('recv')) this.io.emit({t, proc: this.id, kind: 'recv', from: env.from, msg: env.msg, id: env.id, ...(delayMs ? {delayMs} : {})});
      if (inp.kind === 'timeout' && want('timeout')) this.io.emit({t, proc: this.id, kind: 'timeout', txn: inp.txn, timer: inp.timer});
      const step = this.role === 'coordinator'
        ? // The host owns its node and keeps no older one: the step may change it in place.
          coordinatorStep(this.node as CoordNode, inp, this.cfg, {inPlace: true})
        : participantStep(this.node as PartNode, inp, this.cfg);
      this.node = step.node;
      await this.execute(step.effects);
    });
  }

  /** Marks the process dead without running anything more (a kill from outside). */
  kill(): void {
    this.dead = true;
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async execute(effects: Effect[]): Promise<void> {
    const io = this.io;
    const want = (kind: TxnEvent['kind']) => io.wants?.(kind) ?? true;
    for (const [i, e] of effects.entries()) {
      if (this.dead) return;
      // Stamped when an event is built (none is, when nobody reads it); nothing awaits between here and there.
      const base = () => ({t: io.now(), proc: this.id});
      switch (e.kind) {
        case 'log': {
          const pending = io.append(e.record, e.force);
          if (this.pipelined && e.force && pending instanceof Promise) {
            const rest = effects.slice(i + 1);
            void pending.then(async (ms) => {
              if (want('log')) io.emit({...base(), t: io.now(), kind: 'log', record: e.record, force: e.force, ...(typeof ms === 'number' ? {ms} : {})});
              await this.execute(rest);
            }, (err: Error) => {
              // A coordinator that cannot write its log must not go on.
              this.dead = true;
              if (want('note')) io.emit({...base(), t: io.now(), kind: 'note', text: `log write failed: ${err.message}`});
            });
            return;
          }
          const ms = await pending;
          // Stamped when the record is durable (a force can take a while).
          if (want('log')) io.emit({...base(), t: io.now(), kind: 'log', record: e.record, force: e.force, ...(typeof ms === 'number' ? {ms} : {})});
          break;
        }
        case 'send': {
          const env: Envelope = {id: `${this.id}.${this.incarnation}.${++this.sent}`, from: this.id, to: e.to, msg: e.msg};
          if (want('send')) io.emit({...base(), kind: 'send', to: e.to, msg: e.msg, id: env.id});
          io.send(env);
          break;
        }
        case 'timer': {
          const {txn, timer} = e;
          io.setTimer(`${txn}/${timer}`, e.ms, () => this.input({kind: 'timeout', txn, timer}));
          break;
        }
        case 'cancel':
          io.clearTimer(`${e.txn}/${e.timer}`);
          break;
        case 'point':
          if (io.point(e.name)) {
            this.dead = true;
            if (want('crash')) io.emit({...base(), kind: 'crash', point: e.name});
            await io.crash(e.name);
            return;
          }
          break;
        case 'state':
          if (want('state')) io.emit({...base(), kind: 'state', txn: e.txn, from: e.from, to: e.to});
          break;
        case 'decide':
          if (want('decide')) io.emit({...base(), kind: 'decide', txn: e.txn, outcome: e.outcome});
          break;
        case 'note':
          if (want('note')) io.emit({...base(), kind: 'note', text: e.text, ...(e.txn ? {txn: e.txn} : {})});
          break;
      }
    }
  }
}
