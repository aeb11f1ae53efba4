import {DialError, ExitCode, errnoReason, findErrno, isDialError} from '../../errors/index.js';
import type {DbTarget} from './url.js';

const NETWORK = ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'PROTOCOL_CONNECTION_LOST'];

/** Turns a driver error (node-postgres or mysql2) into a DialError that says what failed and what to do. */
export function dbError(t: DbTarget, e: unknown, doing: string): DialError {
  if (isDialError(e)) return e;
  const err = e as {code?: string; errno?: number; message?: string; sqlMessage?: string};
  const name = t.kind === 'pg' ? 'PostgreSQL' : 'MariaDB/MySQL';
  const where = `${name} at ${t.host}:${t.port}`;
  const code = typeof err.code === 'string' ? err.code : undefined;
  const errno = findErrno(e) ?? (code && NETWORK.includes(code) ? code : undefined);
  const reason = err.sqlMessage ?? err.message ?? String(e);
  if (errno && NETWORK.includes(errno)) {
    return new DialError('DB_UNREACHABLE', `cannot reach ${where} (${errnoReason(errno)}) while ${doing}`, {
      exitCode: ExitCode.Unreachable, cause: e, hint: `is the server running and listening there? check the URL ${t.display}`,
    });
  }
  if (/timeout expired|Connection terminated due to connection timeout|connect ETIMEDOUT/i.test(reason)) {
    return new DialError('DB_UNREACHABLE', `cannot reach ${where} (connect timed out) while ${doing}`, {exitCode: ExitCode.Unreachable, cause: e, hint: `check the URL ${t.display}`});
  }
  if (code === 'NO_PASSWORD') {
    return new DialError('DB_AUTH', `${where} asks user '${t.user}' for a password and none was given`, {cause: e, hint: 'put it in the URL (pg://user:PASSWORD@host:port/db) or in PGPASSWORD'});
  }
  if (code === '28P01' || code === '28000' || code === 'ER_ACCESS_DENIED_ERROR' || err.errno === 1045) {
    return new DialError('DB_AUTH', `${where} refused user '${t.user}': ${reason}`, {
      cause: e, hint: t.kind === 'pg' ? 'check the user and password (in the URL or PGPASSWORD) and pg_hba.conf' : 'check the user and password (in the URL or MYSQL_PWD) and that the user may connect from this host',
    });
  }
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR' || err.errno === 1049) {
    return new DialError('DB_MISSING', `${where} has no database '${t.database}'`, {cause: e, hint: `'dial txn setup --participant ${t.display}' creates it and the demo accounts`});
  }
  if (code === '42P01' || err.errno === 1146) {
    return new DialError('DB_NO_SCHEMA', `${where}/${t.database} has no demo accounts table: ${reason}`, {cause: e, hint: `run 'dial txn setup --participant ${t.display}' (or give --sql)`});
  }
  if (code === '55P03' || err.errno === 1205) {
    return new DialError('DB_LOCKED', `${where}/${t.database}: ${doing} waited for a row lock and gave up: ${reason}`, {cause: e, hint: "an in-doubt transaction may hold it: see 'dial txn status', resolve with 'dial txn recover'"});
  }
  return new DialError('DB_FAILED', `${where}/${t.database}: ${doing} failed: ${reason}`, {cause: e, details: {sqlState: code}});
}

/** PostgreSQL with max_prepared_transactions = 0. */
export function noPreparedError(t: DbTarget): DialError {
  return new DialError('DB_NO_PREPARED', `PostgreSQL at ${t.host}:${t.port} has prepared transactions disabled (max_prepared_transactions = 0), so it cannot be a 2PC participant`, {
    hint: "set max_prepared_transactions = 10 (at least the concurrent transactions) in postgresql.conf, or run ALTER SYSTEM SET max_prepared_transactions = 10, then restart PostgreSQL (a reload is not enough)",
  });
}

/** MySQL 8 without XA_RECOVER_ADMIN (MariaDB needs no XA privilege, only PROCESS to show locks). */
export function xaRightsError(t: DbTarget, e: unknown): DialError {
  const reason = (e as {sqlMessage?: string; message?: string}).sqlMessage ?? (e as Error).message;
  return new DialError('DB_XA_RIGHTS', `${t.display}: user '${t.user}' may not list XA transactions (XA RECOVER): ${reason}`, {
    cause: e, hint: `MySQL 8: GRANT XA_RECOVER_ADMIN ON *.* TO '${t.user}'@'HOST'; MariaDB needs no XA privilege, but XA COMMIT/ROLLBACK of another user's branch needs SUPER, and showing locks needs PROCESS`,
  });
}
