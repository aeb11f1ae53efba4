import {join} from 'node:path';
import {accountOf, COORDINATOR, INITIAL_BALANCE} from '../bank.js';
import type {TxnEvent} from '../events.js';
import {route, type Faults} from '../faults.js';
import {ProcessHost, type Envelope, type HostIO} from '../host.js';
import {FileLog, readLogFile} from '../real/file-log.js';
import type {LogRecord, Msg, Pid} from '../types.js';
import {formatGid} from './gid.js';
import type {DbResource, Stmt} from './resource.js';

/** A participant of a database transaction: a database branch, or one of dial's own participants. */
export type BranchSpec =
  | {pid: Pid; kind: 'db'; resource: DbResource}
  | {pid: Pid; kind: 'dial'};

/** dial's own record beside the machine's: which database each branch of a transaction is in. */
export interface BranchesRecord {
  type: 'BRANCHES';
  txn: string;
  branches: Record<Pid, string>;
}

export const isBranches = (r: unknown): r is BranchesRecord => (r as {type?: string}).type === 'BRANCHES';

export interface NetworkOptions {
  dir: string;
  coordinatorId: string;
  branches: BranchSpec[];
  faults: Faults;
  timeoutMs: number;
  random: () => number;
  fsync: boolean;
  /** How the coordinator dies at a crash point (the real process SIGKILLs itself). */
  crash: (point: string) => Promise<void> | void;
  onEvent: (e: TxnEvent) => void;
  /** The kinds of event onEvent reads (default all): the others are not even built. */
  wants?: (kind: TxnEvent['kind']) => boolean;
  /** Rebuild the coordinator from its log and carry out its recovery (txn recover); a run starts it empty. */
  replay: boolean;
  /** Group commit for a batch of concurrent transactions (ProcessHost.pipelined). */
  pipelined?: boolean;
}

/**
 * The coordinator (dial's 2PC state machine and host, its durable log in
 * DIAL_HOME/txn-db/coordinator.log) wired to its participants: database
 * branches answer PREPARE by running their statements and PREPARE
 * TRANSACTION / XA PREPARE, COMMIT and ABORT by COMMIT/ROLLBACK PREPARED or
 * XA COMMIT/ROLLBACK; dial's own participants run the participant machine
 * with their own logs. Messages pass the same fault router as everywhere
 * (a message lost to or from a database is a lost connection).
 */
export class DbNetwork {
  coordinator!: ProcessHost;
  readonly log: FileLog;
  private readonly dialHosts = new Map<Pid, ProcessHost>();
  private readonly dialLogs: FileLog[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly t0 = performance.now();
  /** Per txn and branch: READY, COMMIT, ABORT (a database branch as dial saw it). */
  readonly states = new Map<string, Record<Pid, string>>();
  /** Statements per txn and branch. */
  readonly work = new Map<string, Record<Pid, Stmt[]>>();
  readonly voteNo = new Set<Pid>();
  private routing = {partitioned: false, dropped: [] as number[]};
  dead = false;
  private pending = new Set<Promise<unknown>>();

  private constructor(private readonly o: NetworkOptions) {
    this.log = new FileLog(join(o.dir, 'coordinator.log'));
    this.log.fsync = o.fsync;
    for (const p of o.faults.voteNo) this.voteNo.add(p);
  }

  static async open(o: NetworkOptions): Promise<DbNetwork> {
    const n = new DbNetwork(o);
    const records = o.replay ? readLogFile(n.log.path).records.filter((r) => !isBranches(r)) : [];
    for (const b of o.branches) {
      if (b.kind !== 'dial') continue;
      const file = join(o.dir, `${b.pid}.log`);
      const log = new FileLog(file);
      log.fsync = o.fsync;
      n.dialLogs.push(log);
      const host = await ProcessHost.recover({id: b.pid, role: 'participant', records: readLogFile(file).records, cfg: {timeoutMs: o.timeoutMs}, io: n.io(b.pid, log), incarnation: String(Date.now()), account: {account: accountOf(b.pid), balance: INITIAL_BALANCE, policy: {voteNo: n.voteNo.has(b.pid)}}, restarted: false});
      n.dialHosts.set(b.pid, host);
    }
    n.coordinator = await ProcessHost.recover({id: COORDINATOR, role: 'coordinator', records, cfg: {timeoutMs: o.timeoutMs}, io: n.io(COORDINATOR, n.log), incarnation: String(Date.now()), restarted: false, pipelined: o.pipelined});
    return n;
  }

  now(): number {
    return Math.round((performance.now() - this.t0) * 10) / 10;
  }

  private emit(e: TxnEvent): void {
    this.o.onEvent(e);
  }

  /** Whether anybody reads events of this kind (the bench reads two kinds, a run all). */
  private wants(kind: TxnEvent['kind']): boolean {
    return this.o.wants?.(kind) ?? true;
  }

  private io(proc: Pid, log: FileLog): HostIO {
    return {
      now: () => this.now(),
      append: (r, force) => log.append(r, force),
      send: (env) => this.send(env),
      setTimer: (key, ms, fire) => {
        const k = `${proc}/${key}`;
        clearTimeout(this.timers.get(k));
        this.timers.set(k, setTimeout(() => {
          this.timers.delete(k);
          if (!this.dead) void fire();
        }, ms));
      },
      clearTimer: (key) => {
        clearTimeout(this.timers.get(`${proc}/${key}`));
        this.timers.delete(`${proc}/${key}`);
      },
      point: (name) => proc === COORDINATOR && this.o.faults.crash.some((c) => c.proc === COORDINATOR && c.point === name),
      crash: async (point) => {
        if (proc !== COORDINATOR) return;
        this.dead = true;
        for (const t of this.timers.values()) clearTimeout(t);
        this.timers.clear();
        for (const b of this.o.branches) if (b.kind === 'db') b.resource.dropConnections();
        await this.o.crash(point);
      },
      emit: (e) => this.emit(e),
      wants: (kind) => this.wants(kind),
    };
  }

  /** Records which database each branch is in (buffered: a force of the coordinator carries it). */
  note(txn: string, branches: Record<Pid, string>): void {
    void this.log.append({type: 'BRANCHES', txn, branches} as unknown as LogRecord, false);
  }

  gid(txn: string, pid: Pid): string {
    return formatGid({coordinator: this.o.coordinatorId, txn, branch: pid});
  }

  private send(env: Envelope): void {
    const r = route(this.o.faults, this.routing, env.from, env.to, env.msg, this.o.random);
    const branch = this.o.branches.find((b) => b.pid === env.to || b.pid === env.from);
    if (!r.deliver) {
      if (this.wants('drop')) this.emit({t: this.now(), proc: env.from, kind: 'drop', to: env.to, msg: env.msg, id: env.id, reason: r.reason});
      if (branch?.kind === 'db') branch.resource.dropConnections();
      return;
    }
    const deliver = () => {
      // A message still in flight when the coordinator died (or the run closed) goes nowhere:
      // in `txn run` the whole process is SIGKILLed, and in-process runs must match.
      if (this.dead) return;
      if (env.to === COORDINATOR) {
        void this.coordinator.input({kind: 'recv', from: env.from, msg: env.msg}, env, r.delayMs);
        return;
      }
      const host = this.dialHosts.get(env.to);
      if (host) void host.input({kind: 'recv', from: env.from, msg: env.msg}, env, r.delayMs);
      else if (branch?.kind === 'db') this.track(this.atDb(branch.pid, branch.resource, env, r.delayMs));
    };
    if (r.delayMs > 0) setTimeout(deliver, r.delayMs);
    else deliver();
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private setState(txn: string, pid: Pid, to: string): void {
    const s = this.states.get(txn) ?? {};
    this.states.set(txn, s);
    const from = s[pid] ?? 'INIT';
    s[pid] = to;
    if (this.wants('state')) this.emit({t: this.now(), proc: pid, kind: 'state', txn, from, to});
  }

  private reply(from: Pid, msg: Msg, n: number): void {
    const env: Envelope = {id: `${from}.db.${n}.${msg.type}`, from, to: COORDINATOR, msg};
    if (this.wants('send')) this.emit({t: this.now(), proc: from, kind: 'send', to: COORDINATOR, msg, id: env.id});
    this.send(env);
  }

  private seq = 0;

  /** A database branch handles one message of the coordinator. */
  private async atDb(pid: Pid, db: DbResource, env: Envelope, delayMs: number): Promise<void> {
    const msg = env.msg;
    if (this.wants('recv')) this.emit({t: this.now(), proc: pid, kind: 'recv', from: env.from, msg, id: env.id, ...(delayMs ? {delayMs} : {})});
    const gid = this.gid(msg.txn, pid);
    const n = ++this.seq;
    try {
      if (msg.type === 'PREPARE') {
        const stmts = this.work.get(msg.txn)?.[pid] ?? [];
        const r = await db.prepare(gid, stmts, {voteNo: this.voteNo.has(pid)});
        if (r.ok) {
          if (this.wants('log')) this.emit({t: this.now(), proc: pid, kind: 'log', record: {type: 'PREPARED', coordinator: COORDINATOR, txn: msg.txn, protocol: msg.protocol, participants: msg.participants, deltas: msg.deltas}, force: true, ms: Math.round(r.ms * 10) / 10});
          if (this.wants('note')) this.emit({t: this.now(), proc: pid, kind: 'note', txn: msg.txn, text: `${db.target.kind === 'pg' ? 'PREPARE TRANSACTION' : 'XA PREPARE'} '${gid}' ok`});
          this.setState(msg.txn, pid, 'READY');
          this.reply(pid, {type: 'VOTE', txn: msg.txn, vote: 'yes'}, n);
        } else {
          if (this.wants('note')) this.emit({t: this.now(), proc: pid, kind: 'note', txn: msg.txn, text: `rolled back, votes no: ${r.reason}`});
          this.setState(msg.txn, pid, 'ABORT');
          if (this.wants('decide')) this.emit({t: this.now(), proc: pid, kind: 'decide', txn: msg.txn, outcome: 'abort'});
          this.reply(pid, {type: 'VOTE', txn: msg.txn, vote: 'no', reason: r.reason}, n);
        }
      } else if (msg.type === 'COMMIT' || msg.type === 'ABORT') {
        const commit = msg.type === 'COMMIT';
        if (!commit && this.states.get(msg.txn)?.[pid] === 'ABORT') return;
        const found = commit ? await db.commitPrepared(gid) : await db.rollbackPrepared(gid);
        const verb = db.target.kind === 'pg' ? (commit ? 'COMMIT PREPARED' : 'ROLLBACK PREPARED') : commit ? 'XA COMMIT' : 'XA ROLLBACK';
        if (this.wants('log')) this.emit({t: this.now(), proc: pid, kind: 'log', record: commit ? {type: 'COMMIT', txn: msg.txn} : {type: 'ABORT', txn: msg.txn}, force: true});
        if (this.wants('note')) this.emit({t: this.now(), proc: pid, kind: 'note', txn: msg.txn, text: found ? `${verb} '${gid}'` : `no branch '${gid}' (already resolved, or never prepared)`});
        if (this.states.get(msg.txn)?.[pid] !== msg.type) {
          this.setState(msg.txn, pid, msg.type);
          if (this.wants('decide')) this.emit({t: this.now(), proc: pid, kind: 'decide', txn: msg.txn, outcome: commit ? 'commit' : 'abort'});
        }
        if (commit) this.reply(pid, {type: 'ACK', txn: msg.txn, of: 'COMMIT', term: msg.term}, n);
      }
    } catch (e) {
      if (this.wants('note')) this.emit({t: this.now(), proc: pid, kind: 'note', txn: msg.txn, text: `connection lost or failed: ${(e as Error).message}`});
    }
  }

  /** Waits until the database calls in flight are done. */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  dialParticipant(pid: Pid): ProcessHost | undefined {
    return this.dialHosts.get(pid);
  }

  async close(): Promise<void> {
    this.dead = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.drain();
    await this.log.close().catch(() => undefined);
    for (const l of this.dialLogs) await l.close().catch(() => undefined);
  }
}
