/**
 * Real PostgreSQL and MariaDB for the txn database tests: one implementation
 * with the bench and the tour (src/txn/db/local-server.ts), started once per
 * test file on free 127.0.0.1 ports in temp dirs. stop() (in `after`) stops
 * them and removes their dirs; should the test process die first, an exit
 * hook SIGKILLs them, so no postgres or mariadbd is left behind.
 */
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {LOCAL_PASSWORD, missingServer, startMariadb, startPostgres, type LocalServer} from '../../src/txn/db/local-server.js';

export {LOCAL_PASSWORD, type LocalServer};

const live = new Set<LocalServer>();
let hooked = false;
function track(s: LocalServer): LocalServer {
  live.add(s);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const x of live) x.killNow();
    });
  }
  const stop = s.stop.bind(s);
  s.stop = async () => {
    live.delete(s);
    await stop();
  };
  return s;
}

/** Why the database tests skip here (with the apt-get command), or undefined when both servers can run. */
export function databasesMissing(): string | undefined {
  return missingServer('pg') ?? missingServer('mysql');
}

export async function startPg(opts: {maxPrepared?: number} = {}): Promise<LocalServer> {
  return track(await startPostgres({maxPrepared: opts.maxPrepared}));
}

export async function startMaria(): Promise<LocalServer> {
  return track(await startMariadb());
}

/** A PostgreSQL and a MariaDB, started one after the other: when the second fails, the first is stopped before the error is thrown. */
export async function startPgAndMaria(): Promise<[LocalServer, LocalServer]> {
  const pg = await startPg();
  try {
    return [pg, await startMaria()];
  } catch (e) {
    await pg.stop();
    throw e;
  }
}

/** Stops the servers and checks that none of their processes is left behind. */
export async function stopServers(...servers: (LocalServer | undefined)[]): Promise<void> {
  await Promise.all(servers.map((s) => s?.stop()));
  for (const s of servers) if (s) assert.deepEqual(serverProcesses(s), [], `${s.kind} processes left behind`);
}

/** pids of postgres / mariadbd processes whose command line names this server's dir (none after stop()). */
export function serverProcesses(s: LocalServer): number[] {
  try {
    return execFileSync('pgrep', ['-f', s.dir]).toString().trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The gids PostgreSQL holds prepared (pg_prepared_xacts), by SQL. */
export function pgPrepared(s: LocalServer, database: string): string[] {
  return s.admin(`SELECT gid FROM pg_prepared_xacts WHERE database = '${database}' ORDER BY gid`).split('\n').map((x) => x.trim()).filter(Boolean);
}

/** The gtrids MariaDB holds prepared (XA RECOVER), by SQL. */
export function xaRecover(s: LocalServer): string[] {
  return s.admin('XA RECOVER').split('\n').filter(Boolean).map((l) => {
    const [, gl, , data] = l.split('\t');
    return data.slice(0, Number(gl));
  });
}

/** A demo account's committed balance, by SQL. */
export function balance(s: LocalServer, database: string, account: string): number {
  return Number(s.admin(`SELECT balance FROM dial_accounts WHERE name = '${account}'`, database).trim());
}
