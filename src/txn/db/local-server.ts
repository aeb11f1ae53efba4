/**
 * Throwaway PostgreSQL and MariaDB servers in a temp folder on a free
 * 127.0.0.1 port, for the tests, the bench and the tour (never for real
 * data: fsync may be off). PostgreSQL refuses to run as root, so as root it
 * runs as the `postgres` user the Debian package creates.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {DialError} from '../../errors/index.js';

export interface LocalServer {
  kind: 'pg' | 'mysql';
  port: number;
  /** A URL dial takes (`pg://postgres:PW@127.0.0.1:PORT/` + database). */
  url(database: string, user?: string, password?: string): string;
  /** Runs SQL as the administrator (psql / mariadb client over the socket). */
  admin(sql: string, database?: string): string;
  stop(): Promise<void>;
  /** At process exit, when stop() had no chance: SIGKILL the server and remove its folder (synchronous). */
  killNow(): void;
  dir: string;
}

export const LOCAL_PASSWORD = 'dial-secret';

function pgBin(name: string): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', name))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin', name) : undefined;
}

function which(names: string[]): string | undefined {
  for (const n of names) for (const d of ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin']) if (existsSync(join(d, n))) return join(d, n);
  return undefined;
}

/** Why a local server cannot start here (undefined: it can), with the install command. */
export function missingServer(kind: 'pg' | 'mysql'): string | undefined {
  if (kind === 'pg') {
    if (!pgBin('initdb') || !pgBin('postgres')) return 'PostgreSQL is not installed: apt-get install -y postgresql';
    if (process.getuid?.() === 0) {
      try {
        execFileSync('id', ['postgres'], {stdio: 'ignore'});
      } catch {
        return "no 'postgres' user to run PostgreSQL as: apt-get install -y postgresql";
      }
    }
    return undefined;
  }
  if (!which(['mariadbd', 'mysqld']) || !which(['mariadb-install-db', 'mysql_install_db']) || !which(['mariadb', 'mysql'])) {
    return 'MariaDB is not installed: apt-get install -y mariadb-server';
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const {port} = s.address() as {port: number};
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => boolean, child: ChildProcess, what: string, log: () => string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new DialError('DB_START', `${what} exited while starting: ${log().slice(-800)}`);
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new DialError('DB_START', `${what} did not start within ${ms / 1000}s: ${log().slice(-800)}`);
}

/** Signals the server itself (its pid file: runuser does not pass signals on), then waits for the child. */
function stopChild(child: ChildProcess, signal: NodeJS.Signals, pidFile: string): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    let pid = child.pid;
    try {
      pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]) || pid;
    } catch {
      // not written yet: the child itself
    }
    const kill = (s: NodeJS.Signals) => {
      try {
        if (pid) process.kill(pid, s);
      } catch {
        // gone
      }
    };
    const t = setTimeout(() => {
      kill('SIGKILL');
      child.kill('SIGKILL');
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    kill(signal);
  });
}

function killNow(child: ChildProcess, pidFile: string, dir: string): void {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid) process.kill(pid, 'SIGKILL');
  } catch {
    // no pid file, or gone
  }
  child.kill('SIGKILL');
  rmSync(dir, {recursive: true, force: true});
}

/**
 * The folder for a PostgreSQL run as the `postgres` user: TMPDIR when that
 * user can reach it, else /tmp (a TMPDIR made by root with mkdtemp is 0700,
 * and initdb could not even read its password file there).
 */
function postgresReachableTmp(): string {
  const tmp = resolve(tmpdir());
  for (let p = tmp; ; p = dirname(p)) {
    if ((statSync(p).mode & 0o001) === 0) return '/tmp';
    if (dirname(p) === p) return tmp;
  }
}

/** Starts PostgreSQL with max_prepared_transactions (default 10); password auth over TCP for `postgres`. */
export async function startPostgres(opts: {fsync?: boolean; maxPrepared?: number; port?: number} = {}): Promise<LocalServer> {
  const why = missingServer('pg');
  if (why) throw new DialError('DB_MISSING', why);
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(root ? postgresReachableTmp() : tmpdir(), 'dial-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, LOCAL_PASSWORD + '\n');
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  chmodSync(dir, 0o700);
  const as = (bin: string, args: string[]): [string, string[]] => (root ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]);
  const [ic, ia] = as(pgBin('initdb')!, ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync']);
  execFileSync(ic, ia, {stdio: 'pipe'});
  const port = opts.port ?? (await freePort());
  const [pc, pa] = as(pgBin('postgres')!, ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', dir,
    '-c', `max_prepared_transactions=${opts.maxPrepared ?? 10}`, '-c', `fsync=${opts.fsync ? 'on' : 'off'}`, '-c', `synchronous_commit=${opts.fsync ? 'on' : 'off'}`,
    '-c', 'full_page_writes=off', '-c', 'max_connections=60', '-c', 'shared_buffers=16MB']);
  const child = spawn(pc, pa, {stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const psql = (sql: string, database = 'postgres') => {
    const [c, a] = as(pgBin('psql')!, ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', database, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
    return execFileSync(c, a, {stdio: 'pipe'}).toString();
  };
  await waitFor(() => {
    try {
      psql('select 1');
      return true;
    } catch {
      return false;
    }
  }, child, 'postgres', () => out).catch((e: unknown) => {
    killNow(child, join(data, 'postmaster.pid'), dir);
    throw e;
  });
  return {
    kind: 'pg', port, dir,
    url: (db, user = 'postgres', password = LOCAL_PASSWORD) => `pg://${user}${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${db}`,
    admin: psql,
    async stop() {
      await stopChild(child, 'SIGINT', join(data, 'postmaster.pid'));
      rmSync(dir, {recursive: true, force: true});
    },
    killNow: () => killNow(child, join(data, 'postmaster.pid'), dir),
  };
}

/** Starts MariaDB with real grants: root@127.0.0.1 with LOCAL_PASSWORD. */
export async function startMariadb(opts: {fsync?: boolean; port?: number} = {}): Promise<LocalServer> {
  const why = missingServer('mysql');
  if (why) throw new DialError('DB_MISSING', why);
  const dir = mkdtempSync(join(tmpdir(), 'dial-mariadb-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  execFileSync(which(['mariadb-install-db', 'mysql_install_db'])!, [`--datadir=${data}`, ...user, '--auth-root-authentication-method=socket', '--skip-test-db'], {stdio: 'pipe'});
  const port = opts.port ?? (await freePort());
  const child = spawn(which(['mariadbd', 'mysqld'])!, ['--no-defaults', `--datadir=${data}`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${sock}`, ...user,
    `--pid-file=${join(dir, 'pid')}`, '--skip-name-resolve', `--innodb-flush-log-at-trx-commit=${opts.fsync ? 1 : 0}`, ...(opts.fsync ? [] : ['--sync-binlog=0', '--innodb-doublewrite=0']),
    '--innodb-buffer-pool-size=32M', '--innodb-log-file-size=16M', '--performance-schema=off', '--skip-log-bin', `--log-error=${join(dir, 'err.log')}`], {stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const client = which(['mariadb', 'mysql'])!;
  const admin = (sql: string, database?: string) => execFileSync(client, ['--no-defaults', `--socket=${sock}`, '-uroot', '-N', '-B', ...(database ? [database] : []), '-e', sql], {stdio: 'pipe'}).toString();
  const errLog = () => {
    try {
      return out + execFileSync('tail', ['-20', join(dir, 'err.log')]).toString();
    } catch {
      return out;
    }
  };
  await waitFor(() => {
    try {
      admin('select 1');
      return true;
    } catch {
      return false;
    }
  }, child, 'mariadbd', errLog).catch((e: unknown) => {
    killNow(child, join(dir, 'pid'), dir);
    throw e;
  });
  admin(`CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '${LOCAL_PASSWORD}'; GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;`);
  return {
    kind: 'mysql', port, dir,
    url: (db, u = 'root', password = LOCAL_PASSWORD) => `mysql://${u}${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${db}`,
    admin,
    async stop() {
      await stopChild(child, 'SIGTERM', join(dir, 'pid'));
      rmSync(dir, {recursive: true, force: true});
    },
    killNow: () => killNow(child, join(dir, 'pid'), dir),
  };
}
