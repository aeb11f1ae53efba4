import type {TxnEvent} from '../events.js';
import type {Faults} from '../faults.js';
import type {PartState, Pid, Protocol, TxnSpec} from '../types.js';

/** The daemon tells each txn process where its peers are and what faults apply. */
export interface ConfigureBody {
  peers: Record<Pid, number>;
  faults: Faults;
  /** Epoch ms of the current run's start; event times are relative to it. */
  runStart: number;
  timeoutMs: number;
  fsync: boolean;
  /** Report events to the daemon (off for benchmarks). */
  trace: boolean;
  partitioned: boolean;
  seed: number;
}

/** One transaction's state in a process, as /ctl/status reports it. */
export interface TxnState {
  txn: string;
  state: string;
  protocol?: Protocol;
  outcome?: 'commit' | 'abort';
}

export interface ProcStatus {
  proc: Pid;
  role: 'coordinator' | 'participant';
  pid: number;
  account?: string;
  balance?: number;
  lockedBy?: string;
  txns: TxnState[];
  logRecords: number;
  logFile: string;
}

export interface EventsBody {
  proc: Pid;
  events: TxnEvent[];
}

export interface BenchBody {
  count: number;
  spec: Omit<TxnSpec, 'txn'>;
}

export interface BenchTimings {
  /** Per transaction, ms: PREPARE sent -> all votes in; the decision's force; decision sent -> all ACKs; total. */
  prepare: number[];
  force: number[];
  commit: number[];
  total: number[];
  committed: number;
  wallMs: number;
}

export const PART_STATES: PartState[] = ['INIT', 'READY', 'PRECOMMIT', 'COMMIT', 'ABORT'];

/** POST /v1/txn/runs: one transaction with faults (parsed and checked by the CLI). */
export interface RunRequest {
  protocol: Protocol;
  participants: number;
  deltas: Record<Pid, number>;
  transfer: string;
  faults: Faults;
  seed: number;
  timeoutMs: number;
  /** Stop watching after this long even when participants are still blocked. */
  maxTimeMs: number;
}

export interface ProcOutcome {
  proc: Pid;
  account?: string;
  up: boolean;
  /** The transaction's state in this process (undefined: never heard of it, or down). */
  state?: string;
  /** A down process: the transaction's state in its durable log, what it restarts from (undefined: no record of it). */
  logState?: string;
  balanceBefore?: number;
  balanceAfter?: number;
  lockedBy?: string;
}

export interface RunResult {
  id: string;
  kind: 'run' | 'recover';
  txn?: string;
  protocol?: Protocol;
  transfer?: string;
  participants: Pid[];
  durationMs: number;
  /** 'settled': everyone live decided; 'max-time': some stayed blocked. */
  endedBy: 'settled' | 'max-time';
  processes: ProcOutcome[];
  /** commit, abort, split (atomicity violated), in doubt (blocked), or none (recover with nothing to do). */
  outcome: 'commit' | 'abort' | 'split' | 'in doubt' | 'none';
  atomic: boolean;
  recovered: {proc: Pid; summary: string[]}[];
  events: TxnEvent[];
}

export interface RunPage {
  events: TxnEvent[];
  next: number;
  done: boolean;
  result?: RunResult;
}

export interface ProcView {
  proc: Pid;
  instance: string;
  role: 'coordinator' | 'participant';
  up: boolean;
  pid?: number;
  /** Why it is down (e.g. SIGKILL), when it is. */
  exit?: string;
  account?: string;
  balance?: number;
  lockedBy?: string;
  inDoubt: TxnState[];
  /** The last 10 transactions it knows, with their states. */
  recent: TxnState[];
  transactions: number;
  logFile: string;
  logRecords: number;
  /** 'process' (asked the live process) or 'log' (replayed its durable log). */
  source: 'process' | 'log';
}

export interface StatusView {
  processes: ProcView[];
  running?: string;
  runs: {id: string; kind: string; txn?: string; outcome: string}[];
}

export interface BalancesView {
  accounts: {proc: Pid; account: string; balance: number; lockedBy?: string; up: boolean; source: 'process' | 'log'}[];
  total: number;
  expected: number;
  conserved: boolean;
}
