import {usageError} from '../../errors/index.js';

export type DbKind = 'pg' | 'mysql';

/** A database participant, from `--participant pg://user[:pw]@host:port/db` or `mysql://` / `mariadb://`. */
export interface DbTarget {
  kind: DbKind;
  user: string;
  password?: string;
  host: string;
  port: number;
  database: string;
  /** The URL without its password: what dial shows and remembers. */
  display: string;
}

const SCHEMES: Record<string, DbKind> = {'pg:': 'pg', 'postgres:': 'pg', 'postgresql:': 'pg', 'mysql:': 'mysql', 'mariadb:': 'mysql'};

export function isDbUrl(text: string): boolean {
  return /^(pg|postgres|postgresql|mysql|mariadb):\/\//i.test(text.trim());
}

/**
 * Parses a database URL. The password may be in the URL or, as the clients
 * do, in PGPASSWORD (PostgreSQL) or MYSQL_PWD (MariaDB/MySQL).
 */
export function parseDbUrl(text: string, env: NodeJS.ProcessEnv = process.env): DbTarget {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    throw usageError(`--participant: '${text}' is not a URL`, 'write it like pg://postgres@127.0.0.1:5432/bank_a or mysql://root@127.0.0.1:3306/bank_b');
  }
  const kind = SCHEMES[u.protocol.toLowerCase()];
  if (!kind) throw usageError(`--participant: '${u.protocol}' is not a database scheme`, 'use pg:// (PostgreSQL) or mysql:// / mariadb:// (MariaDB, MySQL)');
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database || !/^[A-Za-z_][\w$]{0,62}$/.test(database)) {
    throw usageError(`--participant: '${text}' names no database (or an odd one)`, 'add the database after the port, e.g. pg://postgres@127.0.0.1:5432/bank_a (letters, digits, _)');
  }
  const user = decodeURIComponent(u.username) || (kind === 'pg' ? 'postgres' : 'root');
  const port = u.port ? Number(u.port) : kind === 'pg' ? 5432 : 3306;
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const password = u.password ? decodeURIComponent(u.password) : (kind === 'pg' ? env.PGPASSWORD : env.MYSQL_PWD) || undefined;
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  return {kind, user, password, host, port, database, display: `${scheme}://${encodeURIComponent(user)}@${host.includes(':') ? `[${host}]` : host}:${port}/${database}`};
}

/** The same database named twice is one participant twice: refused. */
export function sameDb(a: DbTarget, b: DbTarget): boolean {
  return a.kind === b.kind && a.host === b.host && a.port === b.port && a.database === b.database;
}
