import type BetterSqlite3 from 'better-sqlite3';
import {closeSync, fdatasync, fdatasyncSync, openSync} from 'node:fs';
import {createRequire} from 'node:module';

/**
 * fdatasync of a SQLite WAL file on libuv's thread pool, for group commit
 * without blocking the event loop: commit with synchronous=NORMAL (no fsync
 * in the commit), then acknowledge from after(). Calls that arrive while one
 * fdatasync runs share the next one. For ":memory:" databases it only defers.
 */
export class WalSync {
  private fd?: number;
  private waiting: ((err: Error | null) => void)[] = [];
  private inflight: ((err: Error | null) => void)[] = [];

  /** `dbPath` is the database file (its WAL is `${dbPath}-wal`, which must exist: open the database first). */
  constructor(dbPath: string) {
    if (dbPath !== ':memory:') this.fd = openSync(`${dbPath}-wal`, 'r+');
  }

  /** Calls `done` after an fdatasync that started after this call. */
  after(done: (err: Error | null) => void): void {
    this.waiting.push(done);
    this.next();
  }

  private next(): void {
    if (this.inflight.length > 0 || this.waiting.length === 0) return;
    const group = (this.inflight = this.waiting);
    this.waiting = [];
    const finish = (err: Error | null) => {
      if (this.inflight !== group) return; // close() settled this group already
      this.inflight = [];
      for (const done of group) done(err);
      this.next();
    };
    if (this.fd === undefined) queueMicrotask(() => finish(null));
    else fdatasync(this.fd, finish);
  }

  /** Syncs what is pending, settles every waiter, and closes the file (before the database closes). */
  close(): void {
    if (this.fd === undefined) return;
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
    const all = [...this.inflight, ...this.waiting];
    this.inflight = [];
    this.waiting = [];
    for (const done of all) done(null);
  }
}

/**
 * Opens (creating, mode 0600) a SQLite database for group commit: WAL mode,
 * synchronous=NORMAL (FULL for ":memory:"), the schema applied, and the
 * WalSync that makes its commits durable. The registry store and the broker
 * log both open theirs this way.
 */
export function openWalDatabase(path: string, schema: string): {db: BetterSqlite3.Database; wal: WalSync} {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  if (path !== ':memory:') closeSync(openSync(path, 'a', 0o600));
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${path === ':memory:' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.exec(schema);
  return {db, wal: new WalSync(path)};
}
