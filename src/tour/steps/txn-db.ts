import type {LocalServer} from '../../txn/db/local-server.js';
import type {TourContext, TourStep} from '../types.js';

/** What a step needs of PostgreSQL and MariaDB here: undefined when PostgreSQL can run (MariaDB is optional). */
export async function txnDbMissing(): Promise<{pg?: string; mysql?: string}> {
  const {missingServer} = await import('../../txn/db/local-server.js');
  return {pg: missingServer('pg'), mysql: missingServer('mysql')};
}

export const txnDbStep: TourStep = {
  id: 'txn-db',
  title: 'Real databases as 2PC participants: an in-doubt PostgreSQL transaction',
  async run(ctx) {
    const missing = await txnDbMissing();
    if (missing.pg) {
      ctx.say(`dial's coordinator also drives real databases (PostgreSQL's PREPARE TRANSACTION, MariaDB's XA). ${missing.pg}
(and apt-get install -y mariadb-server for MariaDB), then run 'dial tour --step txn-db'.`);
      return;
    }
    const {startMariadb, startPostgres, LOCAL_PASSWORD} = await import('../../txn/db/local-server.js');
    const servers: LocalServer[] = [];
    const saved = {pg: process.env.PGPASSWORD, my: process.env.MYSQL_PWD};
    try {
      // allSettled: a server that started is stopped in finally even when the other failed to start
      const settled = await Promise.allSettled([startPostgres({fsync: false}), missing.mysql ? undefined : startMariadb({fsync: false})]);
      for (const s of settled) if (s.status === 'fulfilled' && s.value) servers.push(s.value);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
      const [pg, my] = settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
      // The URLs stay without a password: dial reads it from PGPASSWORD / MYSQL_PWD, as psql and mariadb do.
      process.env.PGPASSWORD = LOCAL_PASSWORD;
      process.env.MYSQL_PWD = LOCAL_PASSWORD;
      const urls = [pg!.url('bank_a', 'postgres', ''), pg!.url('bank_b', 'postgres', ''), ...(my ? [my.url('bank_c', 'root', '')] : [])];
      await dbWalk(ctx, urls, missing.mysql);
    } finally {
      restore('PGPASSWORD', saved.pg);
      restore('MYSQL_PWD', saved.my);
      await Promise.all(servers.map((s) => s.stop()));
    }
  },
};

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function dbWalk(ctx: TourContext, urls: string[], noMysql: string | undefined): Promise<void> {
  const ps = urls.flatMap((u) => ['--participant', u]);
  ctx.say(`The tour started a throwaway PostgreSQL${noMysql ? '' : ' and a MariaDB'} on free ports (PGPASSWORD and MYSQL_PWD hold their
password). 'txn setup' creates the demo accounts, one per database:${noMysql ? `\n(${noMysql}: this step uses two PostgreSQL databases.)` : ''}`);
  await ctx.show(['txn', 'setup', ...ps]);
  ctx.say(`Now the coordinator runs in a child process and is SIGKILLed after every branch voted yes (PREPARE
TRANSACTION / XA PREPARE succeeded) and before it logged a decision. The branches are prepared: each
database keeps their changes and their row locks, and cannot decide alone:`);
  await ctx.show(['txn', 'run', ...ps, '--transfer', 'a->b:30', '--crash', 'coordinator:after-votes']);
  ctx.say(`'txn status --db' reads pg_prepared_xacts (and XA RECOVER): the in-doubt branches, named
dial:<coordinator>:<txn>:<branch>, the rows they lock, and a plain UPDATE of such a row that gives up
after its lock wait:`);
  await ctx.show(['txn', 'status', '--db', '--lock-wait', '300ms']);
  ctx.say(`'txn recover --db' reads the coordinator's log: no decision was logged, so presumed abort: it rolls
every branch back (ROLLBACK PREPARED / XA ROLLBACK) and the locks are gone:`);
  await ctx.show(['txn', 'recover', '--db']);
  await ctx.show(['txn', 'balances', '--db']);
}
