import {accountOf, COORDINATOR, INITIAL_BALANCE} from './bank.js';
import type {RunRequest, RunResult} from './real/wire.js';
import {describeTransfer, runSim, trialOptions, type SimRunOptions} from './sim/trial.js';

export interface SimulatedRun extends RunResult {
  seed: number;
  /** Invariant violations found by the checker (empty when every invariant held). */
  violations: string[];
  /** Index into events where the repair phase began. */
  repairedAt: number;
}

/**
 * `dial txn run --in-process`: the same state machines on the simulator, on
 * virtual time, deterministic for a seed. The run is followed by the repair
 * phase (heal, restart) and a restart of everyone, like a randomized trial,
 * and every invariant is checked. `random` takes the trial of the seed.
 */
export async function simulateRun(req: RunRequest, random: boolean): Promise<SimulatedRun> {
  const o: SimRunOptions = random
    ? trialOptions(req.seed)
    : {protocol: req.protocol, participants: req.participants, deltas: req.deltas, faults: req.faults, timeoutMs: req.timeoutMs, seed: req.seed, txn: 'T1'};
  const r = await runSim(o);
  const ps = r.spec.participants;
  const phase1 = r.events.slice(0, r.repairedAt);
  const commits = r.events.filter((e) => e.kind === 'decide' && e.outcome === 'commit' && e.proc !== COORDINATOR).length;
  const aborts = r.events.filter((e) => e.kind === 'decide' && e.outcome === 'abort' && e.proc !== COORDINATOR).length;
  const blocked = Object.values(r.faultPhaseStates).some((s) => s === 'READY' || s === 'PRECOMMIT');
  return {
    id: `sim-${req.seed}`, kind: 'run', txn: r.spec.txn, protocol: r.spec.protocol, transfer: describeTransfer(r.spec.deltas), participants: ps,
    durationMs: Math.round(phase1.at(-1)?.t ?? 0), endedBy: blocked ? 'max-time' : 'settled',
    processes: [{proc: COORDINATOR, up: true}, ...ps.map((p) => ({proc: p, up: true, account: accountOf(p), state: r.states[p], balanceBefore: INITIAL_BALANCE, balanceAfter: r.balances[p]}))],
    outcome: commits && aborts ? 'split' : commits ? 'commit' : 'abort',
    atomic: !(commits && aborts),
    recovered: r.events.filter((e) => e.kind === 'recover').map((e) => ({proc: e.proc, summary: e.kind === 'recover' ? e.summary : []})),
    events: r.events, seed: req.seed, violations: r.violations, repairedAt: r.repairedAt,
  };
}
