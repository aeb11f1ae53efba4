import mysql from 'mysql2/promise';
import {dbError, xaRightsError} from './db-errors.js';
import {sqlSafeGid} from './gid.js';
import {ACCOUNTS_TABLE, type DbResource, type InDoubtBranch, type LockedRow, type PrepareResult, type Stmt} from './resource.js';
import type {DbTarget} from './url.js';

const T = ACCOUNTS_TABLE;
const lit = (gid: string) => {
  if (!sqlSafeGid(gid)) throw new Error(`unsafe gid '${gid}'`);
  return `'${gid}'`;
};
const sqlCode = (e: unknown) => (e as {errno?: number}).errno;

/**
 * MariaDB/MySQL as a 2PC participant: XA START; work; XA END; XA PREPARE.
 * A prepared XA branch stays attached to its session, so the decision goes
 * over the same connection while it lives; after a disconnect (or a crash)
 * any session may XA COMMIT / XA ROLLBACK it.
 */
export class MysqlResource implements DbResource {
  private pool: mysql.Pool;
  private held = new Map<string, mysql.PoolConnection>();
  private busy = new Set<mysql.PoolConnection>();
  /** How long a statement waits for a row lock (an in-doubt branch holds it) before it fails (whole seconds). */
  lockWaitMs = 2000;

  constructor(readonly target: DbTarget, opts: {max?: number} = {}) {
    this.pool = this.newPool(target.database, opts.max ?? 10);
  }

  private newPool(database: string | undefined, max: number): mysql.Pool {
    const t = this.target;
    return mysql.createPool({host: t.host, port: t.port, user: t.user, password: t.password ?? '', database, connectionLimit: max, connectTimeout: 5000, multipleStatements: true, maxIdle: max, idleTimeout: 10_000});
  }

  private async conn(doing: string): Promise<mysql.PoolConnection> {
    try {
      const c = await this.pool.getConnection();
      c.on('error', () => undefined);
      return c;
    } catch (e) {
      throw dbError(this.target, e, doing);
    }
  }

  private async with<R>(doing: string, fn: (c: mysql.PoolConnection) => Promise<R>): Promise<R> {
    const c = await this.conn(doing);
    this.busy.add(c);
    let broken = false;
    try {
      return await fn(c);
    } catch (e) {
      broken = !sqlCode(e);
      throw dbError(this.target, e, doing);
    } finally {
      this.busy.delete(c);
      if (broken) c.destroy();
      else c.release();
    }
  }

  async connect(n: number): Promise<void> {
    const cs = await Promise.all(Array.from({length: n}, () => this.conn('connecting')));
    for (const c of cs) c.release();
  }

  async check(): Promise<void> {
    await this.with('checking XA', async (c) => {
      try {
        await c.query('XA RECOVER');
      } catch (e) {
        if (sqlCode(e) === 1227 || sqlCode(e) === 1044) throw xaRightsError(this.target, e);
        throw e;
      }
    });
  }

  /**
   * One round trip to prepare: `SET SESSION innodb_lock_wait_timeout; XA
   * START; the statements; XA END; XA PREPARE` as one multi-statement query
   * (the pool allows multipleStatements; each statement's ? are filled in
   * client-side, as mysql2's query() does anyway). The server stops at the
   * first error: then the branch is still active (or never started), and XA
   * END + XA ROLLBACK end it, so a failed statement is a no vote that leaves
   * nothing prepared. Only a statement that must change a row and changed
   * none is found after XA PREPARE: that branch is rolled back before the no vote.
   */
  async prepare(gid: string, stmts: Stmt[], opts: {voteNo?: boolean} = {}): Promise<PrepareResult> {
    const c = await this.conn('preparing a branch');
    this.busy.add(c);
    const t0 = performance.now();
    const x = lit(gid);
    const rollback = async () => {
      await c.query(`XA END ${x}`).catch(() => undefined);
      await c.query(`XA ROLLBACK ${x}`).catch(() => undefined);
    };
    const no = (reason: string): PrepareResult => {
      this.busy.delete(c);
      c.release();
      return {ok: false, reason};
    };
    try {
      const sql = [`SET SESSION innodb_lock_wait_timeout = ${Math.max(1, Math.round(this.lockWaitMs / 1000))}`, `XA START ${x}`, ...stmts.map((s) => (s.params?.length ? mysql.format(s.sql, s.params as Parameters<typeof mysql.format>[1]) : s.sql))];
      // --vote-no runs the statements, then rolls back instead of preparing.
      if (!opts.voteNo) sql.push(`XA END ${x}`, `XA PREPARE ${x}`);
      let results: {affectedRows?: number}[];
      try {
        [results] = (await c.query(sql.join(';\n'))) as unknown as [{affectedRows?: number}[]];
      } catch (e) {
        if (!sqlCode(e)) throw e;
        await rollback();
        return no((e as {sqlMessage?: string}).sqlMessage ?? (e as Error).message);
      }
      const norow = stmts.findIndex((s, i) => s.expectRow && !results[2 + i]?.affectedRows);
      if (opts.voteNo) {
        await rollback();
        return no('--vote-no');
      }
      if (norow >= 0) {
        await c.query(`XA ROLLBACK ${x}`);
        return no(`no row changed by: ${stmts[norow].sql}`);
      }
      this.busy.delete(c);
      this.held.set(gid, c);
      return {ok: true, ms: performance.now() - t0};
    } catch (e) {
      this.busy.delete(c);
      c.destroy();
      throw dbError(this.target, e, 'preparing a branch');
    }
  }

  private async finish(verb: 'COMMIT' | 'ROLLBACK', gid: string): Promise<boolean> {
    const mine = this.held.get(gid);
    this.held.delete(gid);
    const run = async (c: mysql.PoolConnection) => {
      try {
        await c.query(`XA ${verb} ${lit(gid)}`);
        return true;
      } catch (e) {
        if (sqlCode(e) === 1397) return false;
        // MariaDB answers XA_RBROLLBACK for a branch that changed nothing once its session is gone:
        // it is resolved (there was nothing to commit).
        if (sqlCode(e) === 1402) return true;
        throw e;
      }
    };
    if (mine) {
      try {
        const ok = await run(mine);
        mine.release();
        return ok;
      } catch (e) {
        mine.destroy();
        if (sqlCode(e)) throw dbError(this.target, e, `XA ${verb}`);
        // The connection died: the branch is detached now; any session may finish it.
      }
    }
    return this.with(`XA ${verb}`, run);
  }

  commitPrepared(gid: string): Promise<boolean> {
    return this.finish('COMMIT', gid);
  }

  rollbackPrepared(gid: string): Promise<boolean> {
    return this.finish('ROLLBACK', gid);
  }

  async inDoubt(): Promise<InDoubtBranch[]> {
    return this.with('XA RECOVER', async (c) => {
      let rows: {formatID: number; gtrid_length: number; bqual_length: number; data: Buffer | string}[];
      try {
        [rows] = (await c.query('XA RECOVER')) as unknown as [typeof rows];
      } catch (e) {
        if (sqlCode(e) === 1227) throw xaRightsError(this.target, e);
        throw e;
      }
      // XA RECOVER lists the branches of the whole server; a gtrid names no database.
      return rows.map((r) => ({gid: String(r.data).slice(0, Number(r.gtrid_length)), database: '(server)'}));
    });
  }

  async lockedRows(probeMs: number): Promise<LockedRow[]> {
    return this.with('reading locks', async (c) => {
      const [names] = (await c.query(`SELECT name FROM ${T} ORDER BY name`).catch(() => [[]])) as unknown as [{name: string}[]];
      const rows: LockedRow[] = [];
      for (const {name} of names) {
        // InnoDB ties no lock to an xid that SQL can read: try each row, without waiting.
        await c.query('START TRANSACTION');
        try {
          await c.query(`SELECT name FROM ${T} WHERE name = ? FOR UPDATE NOWAIT`, [name]);
          await c.query('ROLLBACK');
          continue;
        } catch (e) {
          await c.query('ROLLBACK');
          if (sqlCode(e) !== 1205 && sqlCode(e) !== 3572) throw e;
        }
        const row: LockedRow = {table: T, key: name};
        if (probeMs > 0) {
          await c.query(`SET SESSION innodb_lock_wait_timeout = ${Math.max(1, Math.round(probeMs / 1000))}`);
          const t0 = performance.now();
          await c.query('START TRANSACTION');
          try {
            await c.query(`UPDATE ${T} SET balance = balance WHERE name = ?`, [name]);
            row.probe = {waitedMs: Math.round(performance.now() - t0), message: 'the UPDATE went through (the lock was released meanwhile)'};
          } catch (e) {
            row.probe = {waitedMs: Math.round(performance.now() - t0), message: (e as {sqlMessage?: string}).sqlMessage ?? (e as Error).message};
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
    // The database may exist already for a user who may not create one: connect to it first.
    try {
      await this.with('connecting', (c) => c.query('SELECT 1'));
    } catch (e) {
      if ((e as {code?: string}).code !== 'DB_MISSING') throw e;
      created = await this.createDatabase();
    }

    await this.with('creating the demo accounts', async (c) => {
      await c.query(`SET SESSION innodb_lock_wait_timeout = ${Math.max(1, Math.round(this.lockWaitMs / 1000))}`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${T} (name VARCHAR(64) PRIMARY KEY, balance INT NOT NULL, CONSTRAINT balance_not_negative CHECK (balance >= 0)) ENGINE=InnoDB`);
      await c.query(`INSERT INTO ${T} (name, balance) VALUES (?, ?) ON DUPLICATE KEY UPDATE balance = ${reset ? 'VALUES(balance)' : 'balance'}`, [account, balance]);
      if (reset) await c.query(`DELETE FROM ${T} WHERE name <> ?`, [account]);
    });
    return {created};
  }

  private async createDatabase(): Promise<boolean> {
    const admin = this.newPool(undefined, 1);
    try {
      const [r] = (await admin.query(`CREATE DATABASE IF NOT EXISTS \`${this.target.database}\``)) as unknown as [{warningStatus: number}];
      return r.warningStatus === 0;
    } catch (e) {
      throw dbError(this.target, e, 'creating the database');
    } finally {
      await admin.end();
    }
  }

  async balances(): Promise<{account: string; balance: number}[]> {
    return this.with('reading balances', async (c) => {
      const [rows] = (await c.query(`SELECT name, balance FROM ${T} ORDER BY name`)) as unknown as [{name: string; balance: number}[]];
      return rows.map((x) => ({account: x.name, balance: Number(x.balance)}));
    });
  }

  transferStmt(account: string, delta: number): Stmt {
    return {sql: `UPDATE ${T} SET balance = balance + ? WHERE name = ?`, params: [delta, account], expectRow: true};
  }

  dropConnections(): void {
    for (const c of [...this.busy, ...this.held.values()]) c.destroy();
    this.busy.clear();
  }

  async close(): Promise<void> {
    for (const c of this.held.values()) c.destroy();
    this.held.clear();
    await this.pool.end().catch(() => undefined);
  }
}

