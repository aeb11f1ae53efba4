import {uniformInt} from 'pure-rand/distribution/uniformInt';
import {xoroshiro128plus} from 'pure-rand/generator/xoroshiro128plus';
import {accountOf, COORDINATOR, INITIAL_BALANCE, participantIds} from '../bank.js';
import {CRASH_POINTS, type CrashSpec} from '../crash-points.js';
import type {TxnEvent} from '../events.js';
import {NO_FAULTS, type Faults} from '../faults.js';
import {checkDecided, checkSafety, type RunView} from '../invariants.js';
import type {LogRecord, PartState, Pid, Protocol, TxnSpec} from '../types.js';
import {SimWorld} from './world.js';

/** One simulated run: what to do and which faults to inject. */
export interface SimRunOptions {
  protocol: Protocol;
  participants: number;
  deltas: Record<Pid, number>;
  faults: Faults;
  timeoutMs: number;
  seed: number;
  /** A crash of a process at a moment (virtual ms), not at a named point. */
  kills?: {proc: Pid; atMs: number}[];
  txn?: string;
}

export interface SimRunResult {
  options: SimRunOptions;
  spec: TxnSpec;
  events: TxnEvent[];
  /** Index into events where the repair phase (restart + heal) began. */
  repairedAt: number;
  /** Each participant's state when the fault phase ended (undefined: down or never heard of it). */
  faultPhaseStates: Record<Pid, PartState | undefined>;
  logs: Record<Pid, LogRecord[]>;
  states: Record<Pid, PartState | undefined>;
  balances: Record<Pid, number>;
  violations: string[];
}

const FAULT_PHASE_T = 40;
const REPAIR_PHASE_T = 40;

/**
 * Runs one transaction in the simulator: (1) with the faults until things
 * settle; (2) repair: heal the network, restart crashed processes, settle;
 * (3) crash every process, restart all from their logs, settle. Checks every
 * invariant after each phase and returns the violations.
 */
export async function runSim(o: SimRunOptions): Promise<SimRunResult> {
  const ps = participantIds(o.participants);
  const T = o.timeoutMs;
  const world = new SimWorld(ps, {timeoutMs: T}, o.faults, o.seed);
  const spec: TxnSpec = {txn: o.txn ?? 'T1', protocol: o.protocol, participants: ps, deltas: o.deltas};
  await world.start();
  for (const k of o.kills ?? []) world.schedule(k.atMs, () => world.kill(k.proc, 'killed at a random moment'));
  await world.begin(spec);
  const violations: string[] = [];
  const view = (): RunView => viewOf(world, spec);

  await world.run(FAULT_PHASE_T * T);
  const threePcModel = o.protocol === '3pc' && !o.faults.partition && !o.faults.loss && o.faults.drop.length === 0;
  if (threePcModel) {
    // 3PC's promise: participants that stayed up decide without waiting for the coordinator.
    const operational = ps.filter((p) => world.isUp(p) && !world.procs.get(p)!.everCrashed);
    violations.push(...checkDecided(view(), operational, 'by the participants that stayed up (3PC must not block)'));
  }
  const repairedAt = world.events.length;
  const faultPhaseStates = Object.fromEntries(ps.map((p) => [p, world.isUp(p) ? world.procs.get(p)!.host!.participant!.txns[spec.txn]?.state : undefined]));
  world.heal();
  world.events.push({t: world.now, proc: COORDINATOR, kind: 'note', text: 'repair: network healed, crashed processes restart'});
  await world.restartAll();
  await world.run(world.now + REPAIR_PHASE_T * T);
  violations.push(...checkDecided(view(), ps, 'after every failure was repaired'));
  for (const id of world.procs.keys()) world.kill(id, 'restart check: every process is killed');
  await world.restartAll();
  await world.run(world.now + REPAIR_PHASE_T * T);
  const final = view();
  violations.push(...checkDecided(final, ps, 'after every process restarted from its log'));
  violations.push(...checkSafety(final));
  return {options: o, spec, events: world.events, repairedAt, faultPhaseStates, logs: final.logs, states: final.states, balances: final.balances, violations: [...new Set(violations)]};
}

function viewOf(world: SimWorld, spec: TxnSpec): RunView {
  const logs: Record<Pid, LogRecord[]> = {};
  const states: Record<Pid, PartState | undefined> = {};
  const balances: Record<Pid, number> = {};
  const initialBalances: Record<Pid, number> = {};
  for (const [id, p] of world.procs) {
    logs[id] = p.log.records.slice(0, p.log.durable);
    const node = p.host?.participant;
    if (id === COORDINATOR || !node) continue;
    states[id] = node.txns[spec.txn]?.state;
    balances[id] = node.balance;
    initialBalances[id] = INITIAL_BALANCE;
  }
  return {txn: spec.txn, participants: spec.participants, deltas: spec.deltas, events: world.events, logs, states, balances, initialBalances};
}

/**
 * The random trial of a seed: protocol, participants, a transfer, crash
 * points, kills at random moments, and for 2PC also message loss, drops and
 * long delays. 3PC trials stay inside 3PC's model (processes fail by
 * crashing; messages arrive within the timeout), since outside it 3PC is
 * known to break (see the partition scenario).
 */
export function trialOptions(seed: number): SimRunOptions {
  const rng = xoroshiro128plus(seed);
  const int = (a: number, b: number) => uniformInt(rng, a, b);
  const chance = (pct: number) => int(1, 100) <= pct;
  const protocol: Protocol = chance(50) ? '2pc' : '3pc';
  const n = int(2, 4);
  const ps = participantIds(n);
  const procs = [COORDINATOR, ...ps];
  const T = 100;
  const deltas: Record<Pid, number> = Object.fromEntries(ps.map((p) => [p, 0]));
  const from = ps[int(0, n - 1)];
  let to = ps[int(0, n - 1)];
  if (to === from) to = ps[(ps.indexOf(from) + 1) % n];
  const amount = chance(10) ? INITIAL_BALANCE + int(1, 50) : int(1, INITIAL_BALANCE);
  deltas[from] -= amount;
  deltas[to] += amount;
  const points = CRASH_POINTS.filter((c) => c.protocols.includes(protocol));
  const crash: CrashSpec[] = [];
  for (let i = int(0, 3); i > 0; i--) {
    const proc = procs[int(0, procs.length - 1)];
    const options = points.filter((c) => c.role === (proc === COORDINATOR ? 'coordinator' : 'participant'));
    crash.push({proc, point: options[int(0, options.length - 1)].name});
  }
  const kills = chance(30) ? [{proc: procs[int(0, procs.length - 1)], atMs: int(0, 6 * T)}] : [];
  const faults: Faults = {...NO_FAULTS, crash, voteNo: chance(10) ? [ps[int(0, n - 1)]] : []};
  if (protocol === '2pc') {
    faults.loss = [0, 0, 0.1, 0.3][int(0, 3)];
    faults.delay = chance(50) ? [{from: '*', to: '*', type: '*', minMs: 0, maxMs: int(1, 3 * T)}] : [];
    faults.drop = chance(20) ? [{from: '*', to: '*', type: ['COMMIT', 'VOTE', 'PREPARE', 'ACK'][int(0, 3)], count: int(1, 2)}] : [];
  } else {
    faults.delay = chance(60) ? [{from: '*', to: '*', type: '*', minMs: 0, maxMs: int(1, Math.floor(0.3 * T))}] : [];
  }
  return {protocol, participants: n, deltas, faults, timeoutMs: T, seed, kills, txn: `T${seed}`};
}

/** The command that replays a trial with its timeline. */
export function replayCommand(seed: number): string {
  return `dial txn run --in-process --random-faults --seed ${seed}`;
}

/** Accounts in a trial, for messages: 'a->b:50'. */
export function describeTransfer(deltas: Record<Pid, number>): string {
  const from = Object.entries(deltas).filter(([, d]) => d < 0);
  const to = Object.entries(deltas).filter(([, d]) => d > 0);
  return from.map(([p, d]) => `${accountOf(p)}->${to.map(([q]) => accountOf(q)).join('+')}:${-d}`).join(',') || 'nothing';
}
