import type {LogRecord, Msg, Outcome, Pid} from './types.js';

/** Why a message was not delivered. */
export type DropReason = 'drop rule' | 'partition' | 'loss' | 'down' | 'unreachable';

/**
 * What happened, as the timeline shows it and `--json` prints it. `t` is
 * milliseconds since the run started (virtual time in the simulator).
 */
export type TxnEvent = {t: number; proc: Pid} & (
  | {kind: 'send'; to: Pid; msg: Msg; id: string}
  | {kind: 'recv'; from: Pid; msg: Msg; id: string; delayMs?: number}
  | {kind: 'drop'; to: Pid; msg: Msg; id: string; reason: DropReason}
  | {kind: 'log'; record: LogRecord; force: boolean; ms?: number}
  | {kind: 'state'; txn: string; from: string; to: string}
  | {kind: 'decide'; txn: string; outcome: Outcome}
  | {kind: 'timeout'; txn: string; timer: string}
  | {kind: 'crash'; point?: string; detail?: string}
  | {kind: 'recover'; summary: string[]}
  | {kind: 'start'; detail?: string}
  | {kind: 'note'; txn?: string; text: string}
);

export type TxnEventKind = TxnEvent['kind'];
