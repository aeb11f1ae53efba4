import type {DbTarget} from './url.js';

/** One statement of a branch: SQL with $1.. (PostgreSQL) or ? (MariaDB) placeholders. */
export interface Stmt {
  sql: string;
  params?: unknown[];
  /** The statement must change a row (the demo transfer: the account exists). */
  expectRow?: boolean;
}

/** A prepared branch that nobody has committed or rolled back yet. */
export interface InDoubtBranch {
  gid: string;
  /** When it was prepared (PostgreSQL) or began (dial's own ids), epoch ms. */
  since?: number;
  owner?: string;
  database: string;
}

/** A demo-account row that an in-doubt branch holds locked, and what a plain UPDATE of it met. */
export interface LockedRow {
  table: string;
  key: string;
  /** The gid holding it, when the database says (PostgreSQL: xmax of the row). */
  gid?: string;
  probe?: {waitedMs: number; message: string};
}

export type PrepareResult = {ok: true; ms: number} | {ok: false; reason: string};

/**
 * A database as a 2PC resource manager, behind one interface for PostgreSQL
 * (PREPARE TRANSACTION) and MariaDB/MySQL (XA). Errors it throws are
 * DialErrors that say what to do.
 */
export interface DbResource {
  readonly target: DbTarget;
  /** How long a statement waits for a row lock (held by an in-doubt branch, say) before it fails. */
  lockWaitMs: number;
  /** Opens n connections now (a bench opens them before its clock starts); they stay in the pool. */
  connect(n: number): Promise<void>;
  /** Connects once and checks what 2PC needs (prepared transactions enabled, XA allowed). */
  check(): Promise<void>;
  /** Runs the statements in a transaction and prepares it as `gid`; a failing statement rolls back and is the reason. */
  prepare(gid: string, stmts: Stmt[], opts?: {voteNo?: boolean}): Promise<PrepareResult>;
  /** Commits / rolls back a prepared branch; false when the database has no such branch (already resolved). */
  commitPrepared(gid: string): Promise<boolean>;
  rollbackPrepared(gid: string): Promise<boolean>;
  inDoubt(): Promise<InDoubtBranch[]>;
  /** Demo rows locked by in-doubt branches; with probeMs, a plain UPDATE of each waits at most that long. */
  lockedRows(probeMs: number): Promise<LockedRow[]>;
  /** Creates the demo accounts table (and the database) if missing; seeds `account` with `balance` (or resets it). */
  setup(account: string, balance: number, reset: boolean): Promise<{created: boolean}>;
  balances(): Promise<{account: string; balance: number}[]>;
  /** The demo transfer's statement for this database's account. */
  transferStmt(account: string, delta: number): Stmt;
  /** Connection loss: destroys the connections a branch uses now (the next call reconnects). */
  dropConnections(): void;
  close(): Promise<void>;
}

export const ACCOUNTS_TABLE = 'dial_accounts';
