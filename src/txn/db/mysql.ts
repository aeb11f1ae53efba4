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
    return mysql.createPool({host: t.host, port: t.port, user: t.user, password: t.password ?? '', database, connectionLimit: max, connectTimeout: 5000, maxIdle: max, idleTimeout: 10_000});
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

  async prepare(gid: string, stmts: Stmt[], opts: {voteNo?: boolean} = {}): Promise<PrepareResult> {
    const c = await this.conn('preparing a branch');
    this.busy.add(c);
    const t0 = performance.now();
    try {
      await c.query(`SET SESSION innodb_lock_wait_timeout = ${Math.max(1, Math.round(this.lockWaitMs / 1000))}`);
      await c.query(`XA START ${lit(gid)}`);
      try {
        for (const s of stmts) {
          const [r] = (await c.query(s.sql, s.params)) as unknown as [{affectedRows?: number}];
          if (s.expectRow && !r.affectedRows) throw Object.assign(new Error(`no row changed by: ${s.sql}`), {errno: -2});
        }
        if (opts.voteNo) throw Object.assign(new Error('--vote-no'), {errno: -1});
        await c.query(`XA END ${lit(gid)}`);
      } catch (e) {
        if (!sqlCode(e)) throw e;
        await c.query(`XA END ${lit(gid)}`).catch(() => undefined);
        await c.query(`XA ROLLBACK ${lit(gid)}`).catch(() => undefined);
        this.busy.delete(c);
        c.release();
        return {ok: false, reason: (e as {sqlMessage?: string}).sqlMessage ?? (e as Error).message};
      }
      await c.query(`XA PREPARE ${lit(gid)}`);
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
        // XA_RBROLLBACK: MariaDB had already rolled the branch back (an empty branch, after its session went away): rolled back is what was asked.
        if (verb === 'ROLLBACK' && sqlCode(e) === 1402) return true;
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
    const admin = this.newPool(undefined, 1);
    let created: boolean;
    try {
      const [r] = (await admin.query(`CREATE DATABASE IF NOT EXISTS \`${this.target.database}\``)) as unknown as [{warningStatus: number}];
      created = r.warningStatus === 0;
    } catch (e) {
      throw dbError(this.target, e, 'creating the database');
    } finally {
      await admin.end();
    }
    await this.with('creating the demo accounts', async (c) => {
      await c.query(`SET SESSION innodb_lock_wait_timeout = ${Math.max(1, Math.round(this.lockWaitMs / 1000))}`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${T} (name VARCHAR(64) PRIMARY KEY, balance INT NOT NULL, CONSTRAINT balance_not_negative CHECK (balance >= 0)) ENGINE=InnoDB`);
      await c.query(`INSERT INTO ${T} (name, balance) VALUES (?, ?) ON DUPLICATE KEY UPDATE balance = ${reset ? 'VALUES(balance)' : 'balance'}`, [account, balance]);
      if (reset) await c.query(`DELETE FROM ${T} WHERE name <> ?`, [account]);
    });
    return {created};
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

