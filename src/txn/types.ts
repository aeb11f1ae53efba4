/**
 * The vocabulary of dial's two- and three-phase commit: process ids, messages,
 * log records, the inputs a protocol state machine takes and the effects it
 * asks its host to carry out. The machines (coordinator.ts, participant.ts)
 * are pure: they never touch a clock, a file or a socket; a host (host.ts)
 * executes their effects in order, so the in-process simulator and the real
 * processes share one implementation.
 */

export type Protocol = '2pc' | '3pc';
/** 'c' is the coordinator; participants are 'p1', 'p2', ... */
export type Pid = string;
export type Outcome = 'commit' | 'abort';

/** Coordinator states (Bernstein, Hadzilacos, Goodman ch. 7). */
export type CoordState = 'INIT' | 'WAIT' | 'PRECOMMIT' | 'COMMIT' | 'ABORT' | 'END';
/** Participant states; READY is "prepared, uncertain". */
export type PartState = 'INIT' | 'READY' | 'PRECOMMIT' | 'COMMIT' | 'ABORT';

/** What a transaction does: the balance change of each participant's account (sums to 0). */
export interface TxnSpec {
  txn: string;
  protocol: Protocol;
  participants: Pid[];
  deltas: Record<Pid, number>;
}

export type Msg =
  | ({type: 'PREPARE'} & TxnSpec)
  | {type: 'VOTE'; txn: string; vote: 'yes' | 'no'; reason?: string}
  | {type: 'PRECOMMIT'; txn: string; term: number}
  | {type: 'ACK'; txn: string; of: 'PRECOMMIT' | 'COMMIT'; term: number}
  | {type: 'COMMIT'; txn: string; term: number}
  | {type: 'ABORT'; txn: string; term: number}
  /** "What was decided?" (2PC: to the coordinator and, cooperatively, to peers). */
  | {type: 'INQUIRE'; txn: string}
  /** The answer of a process that does not know the outcome either. */
  | {type: 'UNCERTAIN'; txn: string; state: PartState | CoordState}
  /** 3PC termination protocol: a new coordinator (elected by term) collects states. */
  | {type: 'STATE-REQ'; txn: string; term: number}
  | {type: 'STATE'; txn: string; term: number; state: PartState}
  /** "I promised a higher term": the sender of `term` is superseded. */
  | {type: 'NACK'; txn: string; term: number; promised: number};

export type MsgType = Msg['type'];
export const MSG_TYPES: MsgType[] = ['PREPARE', 'VOTE', 'PRECOMMIT', 'ACK', 'COMMIT', 'ABORT', 'INQUIRE', 'UNCERTAIN', 'STATE-REQ', 'STATE', 'NACK'];

/** Records of the per-process durable log (one JSON line each). */
export type LogRecord =
  | {type: 'ACCOUNT'; account: string; balance: number}
  | ({type: 'BEGIN'} & TxnSpec)
  | ({type: 'PREPARED'; coordinator: Pid} & TxnSpec)
  | {type: 'PRECOMMIT'; txn: string; term: number; participants?: Pid[]}
  | {type: 'PROMISE'; txn: string; term: number}
  | {type: 'COMMIT'; txn: string; participants?: Pid[]; delta?: number}
  | {type: 'ABORT'; txn: string; participants?: Pid[]}
  | {type: 'END'; txn: string};

export type Input =
  | {kind: 'begin'; spec: TxnSpec}
  | {kind: 'recv'; from: Pid; msg: Msg}
  | {kind: 'timeout'; txn: string; timer: string};

export type Effect =
  /** Append a record; `force` waits until it is durable (fsync) and flushes buffered records before it. */
  | {kind: 'log'; record: LogRecord; force: boolean}
  | {kind: 'send'; to: Pid; msg: Msg}
  | {kind: 'timer'; txn: string; timer: string; ms: number}
  | {kind: 'cancel'; txn: string; timer: string}
  /** A named crash point: the host crashes here when told to. */
  | {kind: 'point'; name: string}
  | {kind: 'state'; txn: string; from: string; to: string}
  | {kind: 'decide'; txn: string; outcome: Outcome}
  | {kind: 'note'; txn?: string; text: string};

/** Protocol timing. Every wait has a timeout derived from `timeoutMs` (T). */
export interface MachineConfig {
  timeoutMs: number;
}

/** Whom the process is and what it may do: forced "no" votes are a fault the user asks for. */
export interface ProcessPolicy {
  voteNo?: boolean;
}
