import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {HttpError} from '../../registry/server/index.js';
import {accountOf, COORDINATOR, participantIds} from '../bank.js';
import type {TxnEvent} from '../events.js';
import {NO_FAULTS} from '../faults.js';
import type {Pid} from '../types.js';
import {TxnProcesses} from './processes.js';
import {procView} from './views.js';
import type {ProcOutcome, ProcStatus, RunPage, RunRequest, RunResult} from './wire.js';

interface Run {
  id: string;
  kind: 'run' | 'recover';
  req?: RunRequest;
  txn?: string;
  participants: Pid[];
  started: number;
  pending: TxnEvent[];
  events: TxnEvent[];
  before: Map<Pid, ProcStatus | undefined>;
  result?: RunResult;
}

const GRACE_MS = 250;
const now = () => performance.timeOrigin + performance.now();

/**
 * Runs transactions on the real processes and records what happens: the
 * processes post their events here; the CLI reads them back live
 * (GET /v1/txn/runs/:id?after=N). A run ends when every live process has
 * settled, or after its max time (a blocked 2PC stays blocked).
 */
export class TxnRuns {
  private readonly runs = new Map<string, Run>();
  private active?: Run;
  private recoveries = 0;

  /** `onResult` hears every finished run (the daemon puts a summary on its event bus). */
  constructor(readonly procs: TxnProcesses, private readonly onResult?: (result: RunResult) => void) {}

  private nextTxn(): string {
    const file = join(this.procs.dir, 'next-txn');
    let n = 1;
    try {
      n = Number(readFileSync(file, 'utf8')) || 1;
    } catch {
      // first transaction
    }
    writeFileSync(file, String(n + 1), {mode: 0o600});
    return `T${n}`;
  }

  private begin(kind: Run['kind'], participants: Pid[], req?: RunRequest): Run {
    if (this.active) throw new HttpError(409, `a transaction run (${this.active.id}) is in progress; wait for it to end`);
    const txn = kind === 'run' ? this.nextTxn() : undefined;
    const run: Run = {id: txn ?? `recover-${++this.recoveries}`, kind, req, txn, participants, started: now(), pending: [], events: [], before: new Map()};
    this.runs.set(run.id, run);
    for (const id of [...this.runs.keys()].slice(0, -10)) this.runs.delete(id);
    this.active = run;
    return run;
  }

  async startRun(req: RunRequest): Promise<{id: string}> {
    const ps = participantIds(req.participants);
    const all = [COORDINATOR, ...ps];
    const down = all.filter((p) => this.procs.state(p) === 'down');
    if (down.length) {
      throw new HttpError(409, `${down.join(', ')} ${down.length > 1 ? 'are' : 'is'} down (${down.map((p) => this.procs.exitOf(p)).join(', ')}) from an earlier run: run 'dial txn recover' first`);
    }
    const run = this.begin('run', ps, req);
    try {
      const fresh = all.filter((p) => this.procs.state(p) !== 'up');
      for (const p of fresh) await this.procs.start(p);
      run.started = now();
      Object.assign(this.procs.cfg, {faults: req.faults, runStart: run.started, timeoutMs: req.timeoutMs, trace: true, seed: req.seed, fsync: true,
        partitioned: Boolean(req.faults.partition && !req.faults.partition.at)});
      await this.procs.configureAll(this.procs.known());
      // Fresh processes open their connections to every peer first, so the run's first messages are not slow.
      if (fresh.length) await Promise.all(all.map((p) => this.procs.call(p, '/ctl/warm', {}).catch(() => undefined)));
      for (const p of ps) run.before.set(p, await this.procs.status(p));
      if (req.faults.partition?.at && 'ms' in req.faults.partition.at) setTimeout(() => void this.partition(), req.faults.partition.at.ms);
      const spec = {txn: run.txn!, protocol: req.protocol, participants: ps, deltas: req.deltas};
      await this.procs.call(COORDINATOR, '/ctl/begin', {spec});
    } catch (e) {
      this.active = undefined;
      throw e;
    }
    void this.watch(run, req.maxTimeMs);
    return {id: run.id};
  }

  async startRecover(maxTimeMs: number): Promise<{id: string}> {
    const known = this.procs.known();
    const ps = known.filter((p) => p !== COORDINATOR);
    const run = this.begin('recover', ps);
    try {
      Object.assign(this.procs.cfg, {faults: NO_FAULTS, runStart: run.started, trace: true, partitioned: false});
      for (const p of ps) run.before.set(p, await this.procs.status(p));
      await this.procs.configureAll(known);
      for (const p of known) if (this.procs.state(p) !== 'up') await this.procs.start(p);
      await this.procs.configureAll(known);
    } catch (e) {
      this.active = undefined;
      throw e;
    }
    void this.watch(run, maxTimeMs);
    return {id: run.id};
  }

  /** A process reached the partition's starting point: cut the links everywhere. */
  async partition(): Promise<void> {
    if (this.procs.cfg.partitioned) return;
    this.procs.cfg.partitioned = true;
    await this.procs.configureAll(this.procs.known());
  }

  ingest(events: TxnEvent[]): void {
    // Between runs (a blocked participant asking again, say) nobody watches: those events are dropped.
    this.active?.pending.push(...events);
  }

  /** Moves events old enough to be in order (or all) from pending to the run's timeline. */
  private release(run: Run, all = false): void {
    const horizon = all ? Infinity : now() - run.started - 250;
    const ready = run.pending.filter((e) => e.t <= horizon).sort((a, b) => a.t - b.t);
    run.pending = run.pending.filter((e) => e.t > horizon);
    run.events.push(...ready);
  }

  async page(id: string, after: number, waitMs = 500): Promise<RunPage> {
    const run = this.runs.get(id);
    if (!run) throw new HttpError(404, `no run ${id} (the daemon keeps the last 10)`);
    const deadline = Date.now() + waitMs;
    while (true) {
      if (!run.result) this.release(run);
      if (run.events.length > after || run.result || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    return {events: run.events.slice(after), next: run.events.length, done: Boolean(run.result), ...(run.result ? {result: run.result} : {})};
  }

  private async settled(run: Run): Promise<boolean> {
    const txn = run.txn;
    const coord = await this.procs.status(COORDINATOR);
    const decided = (s?: string) => s === 'COMMIT' || s === 'ABORT';
    if (txn) {
      const c = coord?.txns.find((x) => x.txn === txn);
      const cDone = !coord || (c !== undefined && (c.state === 'END' || decided(c.state)));
      if (!cDone) return false;
      for (const p of run.participants) {
        const st = await this.procs.status(p);
        const x = st?.txns.find((y) => y.txn === txn);
        if (st && x && !decided(x.state)) return false;
      }
      return true;
    }
    if (coord?.txns.some((x) => !x.state.startsWith('END') && !x.state.startsWith('ABORT'))) return false;
    for (const p of run.participants) {
      const st = await this.procs.status(p);
      if (st?.txns.some((x) => x.state === 'READY' || x.state === 'PRECOMMIT')) return false;
    }
    return true;
  }

  private async watch(run: Run, maxTimeMs: number): Promise<void> {
    let endedBy: RunResult['endedBy'] = 'max-time';
    try {
      const deadline = run.started + maxTimeMs;
      await new Promise((r) => setTimeout(r, 50));
      while (now() < deadline) {
        if (await this.settled(run).catch(() => false)) {
          endedBy = 'settled';
          break;
        }
        await new Promise((r) => setTimeout(r, 80));
      }
      await new Promise((r) => setTimeout(r, GRACE_MS));
      run.result = await this.finish(run, endedBy);
    } catch (e) {
      run.result = {id: run.id, kind: run.kind, participants: run.participants, durationMs: now() - run.started, endedBy, processes: [], outcome: 'none', atomic: true, recovered: [],
        events: [...run.events, {t: now() - run.started, proc: COORDINATOR, kind: 'note', text: `the daemon failed to finish the run: ${(e as Error).message}`}]};
    } finally {
      if (run.result) this.onResult?.(run.result);
      if (this.active === run) this.active = undefined;
      Object.assign(this.procs.cfg, {faults: NO_FAULTS, partitioned: false});
      await this.procs.configureAll(this.procs.known()).catch(() => undefined);
    }
  }

  private async finish(run: Run, endedBy: RunResult['endedBy']): Promise<RunResult> {
    this.release(run, true);
    // A recovery is about the transactions it resolved: show the last one.
    run.txn ??= run.events.map((e) => (e.kind === 'decide' || e.kind === 'state' ? e.txn : '')).filter(Boolean).at(-1);
    const processes: ProcOutcome[] = [];
    const states: string[] = [];
    for (const p of [COORDINATOR, ...run.participants]) {
      const st = await this.procs.status(p);
      const x = run.txn ? st?.txns.find((y) => y.txn === run.txn) : undefined;
      if (p !== COORDINATOR && x) states.push(x.state);
      // A down process: what its log says (the coordinator's decision, or the participant's state), for the verdict.
      const logged = !st && run.txn ? (await procView(this.procs, p)).recent.find((y) => y.txn === run.txn) : undefined;
      processes.push({
        proc: p, up: st !== undefined, state: x?.state,
        ...(logged ? {logState: logged.outcome ? logged.outcome.toUpperCase() : logged.state} : {}),
        ...(p === COORDINATOR ? {} : {account: accountOf(p), balanceBefore: run.before.get(p)?.balance, balanceAfter: st?.balance, lockedBy: st?.lockedBy}),
      });
    }
    const decidedAs = (o: 'commit' | 'abort') => run.participants.filter((p) =>
      run.events.some((e) => e.kind === 'decide' && e.txn === run.txn && e.proc === p && e.outcome === o) || processes.find((x) => x.proc === p)?.state === o.toUpperCase());
    const commits = decidedAs('commit').length;
    const aborts = decidedAs('abort').length;
    const outcome: RunResult['outcome'] = !run.txn ? 'none' : commits && aborts ? 'split' : states.some((s) => s === 'READY' || s === 'PRECOMMIT') ? 'in doubt' : commits ? 'commit' : 'abort';
    const recovered = run.events.filter((e) => e.kind === 'recover').map((e) => ({proc: e.proc, summary: e.kind === 'recover' ? e.summary : []}));
    return {
      id: run.id, kind: run.kind, txn: run.txn, protocol: run.req?.protocol, transfer: run.req?.transfer, participants: run.participants,
      durationMs: Math.round(now() - run.started), endedBy, processes, outcome, atomic: outcome !== 'split', recovered, events: run.events,
    };
  }

  async status(): Promise<{running?: string; runs: {id: string; kind: string; txn?: string; outcome: string}[]; processes: Awaited<ReturnType<typeof procView>>[]}> {
    const processes = await Promise.all(this.procs.known().map((p) => procView(this.procs, p)));
    const runs = [...this.runs.values()].map((r) => ({id: r.id, kind: r.kind, txn: r.txn, outcome: r.result?.outcome ?? 'running'}));
    return {running: this.active?.id, runs, processes};
  }

  async reset(): Promise<void> {
    if (this.active) throw new HttpError(409, `a transaction run (${this.active.id}) is in progress`);
    await this.procs.reset();
    this.runs.clear();
  }

  get busy(): boolean {
    return this.active !== undefined;
  }
}
