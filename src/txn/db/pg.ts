import pg from 'pg';
import {dbError, noPreparedError} from './db-errors.js';
import {sqlSafeGid} from './gid.js';
import {ACCOUNTS_TABLE, type DbResource, type InDoubtBranch, type LockedRow, type PrepareResult, type Stmt} from './resource.js';
import type {DbTarget} from './url.js';

const T = ACCOUNTS_TABLE;
const lit = (gid: string) => {
  if (!sqlSafeGid(gid)) throw new Error(`unsafe gid '${gid}'`);
  return `'${gid}'`;
};

/** A statement with its $1.. parameters written in as literals (outside quotes and identifiers). */
function inline(c: pg.PoolClient, s: Stmt): string {
  if (!s.params?.length) return s.sql;
  const value = (i: number): string => {
    if (i < 1 || i > s.params!.length) throw new Error(`no parameter $${i} for: ${s.sql}`);
    const v = s.params![i - 1];
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number' && Number.isFinite(v)) return `(${v})`;
    if (typeof v === 'bigint') return `(${v})`;
    if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
    return c.escapeLiteral(typeof v === 'string' ? v : JSON.stringify(v));
  };
  let out = '';
  let q: string | undefined;
  for (let i = 0; i < s.sql.length; i++) {
    const ch = s.sql[i];
    if (q) {
      if (ch === q) q = undefined;
    } else if (ch === "'" || ch === '"') q = ch;
    else if (ch === '$' && /[0-9]/.test(s.sql[i + 1] ?? '')) {
      let j = i + 1;
      while (/[0-9]/.test(s.sql[j] ?? '')) j++;
      out += value(Number(s.sql.slice(i + 1, j)));
      i = j - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

/**
 * A client with no password: when the server asks for one, a clear error at
 * once, and the socket closed (node-postgres would fail inside SCRAM and keep
 * the socket open, so dial would hang for a minute before exiting).
 */
class NoPasswordClient extends pg.Client {
  constructor(cfg: pg.ClientConfig = {}) {
    super({...cfg, password: () => {
      const con = (this as unknown as {connection?: {stream?: {destroy(): void}}}).connection;
      setImmediate(() => con?.stream?.destroy());
      return Promise.reject(Object.assign(new Error('the server asks for a password and none was given'), {code: 'DIAL_NO_PASSWORD'}));
    }});
  }
}

/** PostgreSQL as a 2PC participant: BEGIN; work; PREPARE TRANSACTION 'gid'; later COMMIT/ROLLBACK PREPARED from any session. */
export class PgResource implements DbResource {
  private pool: pg.Pool;
  private busy = new Set<pg.PoolClient>();
  /** Clients that already have their error listener (a pool hands the same client out again and again). */
  private listening = new WeakSet<pg.PoolClient>();
  /** How long a statement waits for a row lock (an in-doubt branch holds it) before it fails. */
  lockWaitMs = 2000;

  constructor(readonly target: DbTarget, opts: {max?: number} = {}) {
    this.pool = this.newPool(target.database, opts.max ?? 10);
  }

  private newPool(database: string, max: number): pg.Pool {
    const t = this.target;
    const pool = new pg.Pool({Client: t.password === undefined ? NoPasswordClient : pg.Client, host: t.host, port: t.port, user: t.user, password: t.password, database, max, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10_000});
    // A server that goes away must not crash dial: the next query reports it.
    pool.on('error', () => undefined);
    return pool;
  }

  private async withClient<T>(doing: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let c: pg.PoolClient;
    try {
      c = await this.pool.connect();
    } catch (e) {
      throw dbError(this.target, e, doing);
    }
    this.busy.add(c);
    if (!this.listening.has(c)) {
      this.listening.add(c);
      c.on('error', () => undefined);
    }
    let broken: Error | undefined;
    try {
      return await fn(c);
    } catch (e) {
      broken = e as Error;
      throw dbError(this.target, e, doing);
    } finally {
      this.busy.delete(c);
      c.release(broken && !(broken as {code?: string}).code ? broken : undefined);
    }
  }

  async connect(n: number): Promise<void> {
    let cs: pg.PoolClient[];
    try {
      cs = await Promise.all(Array.from({length: n}, () => this.pool.connect()));
    } catch (e) {
      throw dbError(this.target, e, 'connecting');
    }
    for (const c of cs) c.release();
  }

  async check(): Promise<void> {
    const max = await this.withClient('connecting', (c) => c.query('SHOW max_prepared_transactions'));
    if (Number(max.rows[0].max_prepared_transactions) === 0) throw noPreparedError(this.target);
  }

  /**
   * One round trip to prepare: `BEGIN; SET LOCAL lock_timeout; the
   * statements; PREPARE TRANSACTION 'gid'` as one simple query (parameters
   * inlined as literals, a simple query takes none). PostgreSQL runs them in
   * order and stops at the first error, which leaves an explicit BEGIN's
   * block aborted (the ROLLBACK below ends it) or, for a failed PREPARE
   * TRANSACTION, already rolled back: either way nothing is prepared and a
   * constraint or lock failure is a no vote. Only a statement that must
   * change a row and changed none is found after the PREPARE: that branch is
   * rolled back prepared before the no vote.
   */
  async prepare(gid: string, stmts: Stmt[], opts: {voteNo?: boolean} = {}): Promise<PrepareResult> {
    return this.withClient('preparing a branch', async (c) => {
      const t0 = performance.now();
      const sql = ['BEGIN', `SET LOCAL lock_timeout = ${Math.round(this.lockWaitMs)}`, ...stmts.map((s) => inline(c, s))];
      // --vote-no runs the statements, then rolls back instead of preparing.
      if (!opts.voteNo) sql.push(`PREPARE TRANSACTION ${lit(gid)}`);
      let results: pg.QueryResult[];
      try {
        const r = (await c.query(sql.join(';\n'))) as unknown as pg.QueryResult | pg.QueryResult[];
        results = Array.isArray(r) ? r : [r];
      } catch (e) {
        // An aborted block waits for its ROLLBACK (a failed PREPARE TRANSACTION has rolled back already: a warning only).
        await c.query('ROLLBACK').catch(() => undefined);
        const err = e as {code?: string; message: string};
        if (!err.code) throw e;
        if (err.code === '55000' && /prepared transactions are disabled/i.test(err.message)) throw noPreparedError(this.target);
        // The database refused to prepare (max_prepared_transactions reached, the gid in use): a no vote, not silence.
        if (err.code === '53400' || err.code === '42710') return {ok: false, reason: `PREPARE TRANSACTION failed: ${err.message}`};
        return {ok: false, reason: err.message};
      }
      const norow = stmts.findIndex((s, i) => s.expectRow && !results[2 + i]?.rowCount);
      if (norow >= 0 || opts.voteNo) {
        await c.query(opts.voteNo ? 'ROLLBACK' : `ROLLBACK PREPARED ${lit(gid)}`);
        return {ok: false, reason: opts.voteNo ? '--vote-no' : `no row changed by: ${stmts[norow].sql}`};
      }
      return {ok: true, ms: performance.now() - t0};
    });
  }

  private async finish(verb: 'COMMIT' | 'ROLLBACK', gid: string): Promise<boolean> {
    return this.withClient(`${verb} PREPARED`, async (c) => {
      try {
        await c.query(`${verb} PREPARED ${lit(gid)}`);
        return true;
      } catch (e) {
        if ((e as {code?: string}).code === '42704') return false;
        throw e;
      }
    });
  }

  commitPrepared(gid: string): Promise<boolean> {
    return this.finish('COMMIT', gid);
  }

  rollbackPrepared(gid: string): Promise<boolean> {
    return this.finish('ROLLBACK', gid);
  }

  async inDoubt(): Promise<InDoubtBranch[]> {
    const r = await this.withClient('listing pg_prepared_xacts', (c) => c.query('SELECT gid, prepared, owner, database FROM pg_prepared_xacts WHERE database = current_database() ORDER BY prepared'));
    return r.rows.map((x: {gid: string; prepared: Date; owner: string; database: string}) => ({gid: x.gid, since: x.prepared.getTime(), owner: x.owner, database: x.database}));
  }

  async lockedRows(probeMs: number): Promise<LockedRow[]> {
    return this.withClient('reading locks', async (c) => {
      const exists = await c.query('SELECT to_regclass($1) AS t', [T]);
      if (!exists.rows[0].t) return [];
      // A prepared transaction keeps its locks in pg_locks (pid null, its xid as a transactionid lock);
      // the rows it updated carry that xid as xmax.
      const r = await c.query(
        `SELECT a.name, p.gid FROM ${T} a JOIN pg_prepared_xacts p ON a.xmax::text = p.transaction::text
          WHERE EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid IS NULL AND l.locktype = 'transactionid' AND l.transactionid = p.transaction)
          ORDER BY a.name`);
      const rows: LockedRow[] = [];
      for (const x of r.rows as {name: string; gid: string}[]) {
        const row: LockedRow = {table: T, key: x.name, gid: x.gid};
        if (probeMs > 0) {
          const t0 = performance.now();
          await c.query('BEGIN');
          try {
            await c.query(`SET LOCAL lock_timeout = ${Math.round(probeMs)}`);
            await c.query(`UPDATE ${T} SET balance = balance WHERE name = $1`, [x.name]);
            row.probe = {waitedMs: Math.round(performance.now() - t0), message: 'the UPDATE went through (the lock was released meanwhile)'};
          } catch (e) {
            row.probe = {waitedMs: Math.round(performance.now() - t0), message: (e as Error).message};
          } finally {
            await c.query('ROLLBACK');
          }
        }
        rows.push(row);
      }
      return rows;
    });
  }

  async setup(account: string, balance: number, reset: boolean): Promise<{created: boolean}> {
    let created = false;
    try {
      await this.withClient('connecting', (c) => c.query('SELECT 1'));
    } catch (e) {
      if ((e as {code?: string}).code !== 'DB_MISSING') throw e;
      const admin = this.newPool('postgres', 1);
      try {
        await admin.query(`CREATE DATABASE "${this.target.database}"`);
        created = true;
      } catch (err) {
        if ((err as {code?: string}).code !== '42P04') throw dbError(this.target, err, 'creating the database');
      } finally {
        await admin.end();
      }
    }
    await this.withClient('creating the demo accounts', async (c) => {
      await c.query(`SET lock_timeout = ${Math.round(this.lockWaitMs)}`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${T} (name text PRIMARY KEY, balance integer NOT NULL CHECK (balance >= 0))`);
      await c.query(`INSERT INTO ${T} (name, balance) VALUES ($1, $2) ON CONFLICT (name) DO ${reset ? 'UPDATE SET balance = EXCLUDED.balance' : 'NOTHING'}`, [account, balance]);
      if (reset) await c.query(`DELETE FROM ${T} WHERE name <> $1`, [account]);
    });
    return {created};
  }

  async balances(): Promise<{account: string; balance: number}[]> {
    const r = await this.withClient('reading balances', (c) => c.query(`SELECT name, balance FROM ${T} ORDER BY name`));
    return r.rows.map((x: {name: string; balance: number}) => ({account: x.name, balance: Number(x.balance)}));
  }

  transferStmt(account: string, delta: number): Stmt {
    return {sql: `UPDATE ${T} SET balance = balance + $1 WHERE name = $2 `, params: [delta, account], expectRow: true};
  }

  dropConnections(): void {
    for (const c of this.busy) (c as unknown as {connection: {stream: {destroy(): void}}}).connection.stream.destroy();
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
