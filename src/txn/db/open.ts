import type {DbResource} from './resource.js';
import type {DbTarget} from './url.js';

/** The resource for a database URL; the driver is imported only when needed. */
export async function openResource(t: DbTarget, opts: {max?: number} = {}): Promise<DbResource> {
  if (t.kind === 'pg') return new (await import('./pg.js')).PgResource(t, opts);
  return new (await import('./mysql.js')).MysqlResource(t, opts);
}
