import {join} from 'node:path';
import {accountOf, INITIAL_BALANCE} from '../bank.js';
import {knownDatabases, remember} from './known.js';
import {openBranches, parseParticipants} from './run.js';
import {coordinatorId} from './gid.js';
import type {DbResource} from './resource.js';
import {parseDbUrl, sameDb, type DbTarget} from './url.js';

export interface SetupResult {
  databases: {proc: string; url: string; account: string; balance: number; createdDatabase: boolean}[];
  coordinatorId: string;
}

/**
 * Creates the demo accounts (idempotent): in the i-th database, the table
 * dial_accounts (name, balance CHECK (balance >= 0)) holding account a, b,
 * c ... of the i-th participant, 100 to start with; --reset puts it back to 100.
 */
export async function setupDatabases(home: string, urls: string[], reset: boolean): Promise<SetupResult> {
  const parsed = parseParticipants(urls).filter((p) => p.target);
  const dir = join(home, 'txn-db');
  const cid = coordinatorId(dir);
  const {branches, resources} = await openBranches(parsed, 1);
  try {
    const out: SetupResult['databases'] = [];
    for (const b of branches) {
      if (b.kind !== 'db') continue;
      const {created} = await b.resource.setup(accountOf(b.pid), INITIAL_BALANCE, reset);
      await b.resource.check();
      const bal = (await b.resource.balances()).find((r) => r.account === accountOf(b.pid))?.balance ?? INITIAL_BALANCE;
      out.push({proc: b.pid, url: b.resource.target.display, account: accountOf(b.pid), balance: bal, createdDatabase: created});
    }
    remember(dir, resources.map((r) => r.target.display));
    return {databases: out, coordinatorId: cid};
  } finally {
    await Promise.all(resources.map((r) => r.close()));
  }
}

/**
 * The databases to look at: the ones given (their passwords win), and the
 * ones this DIAL_HOME's coordinator used before (password from PGPASSWORD /
 * MYSQL_PWD).
 */
export function targetsFor(home: string, given: string[]): DbTarget[] {
  const out = given.filter((u) => u !== 'dial').map((u) => parseDbUrl(u));
  for (const u of knownDatabases(join(home, 'txn-db'))) {
    const t = parseDbUrl(u);
    if (!out.some((x) => sameDb(x, t))) out.push(t);
  }
  return out;
}

export type {DbResource};

export interface DbBalances {
  accounts: {url: string; account: string; balance: number}[];
  total: number;
  /** 100 per demo account (what setup gives each). */
  expected: number;
  conserved: boolean;
  /** Branches still prepared: their changes are not in the balances yet. */
  inDoubt: number;
}

/** The committed balances of the demo accounts in every database, and whether the total is conserved. */
export async function dbBalances(home: string, urls: string[]): Promise<DbBalances> {
  const {openResource} = await import('./open.js');
  const targets = targetsFor(home, urls);
  const accounts: DbBalances['accounts'] = [];
  const gids = new Set<string>();
  for (const t of targets) {
    const r = await openResource(t, {max: 1});
    try {
      for (const b of await r.balances()) accounts.push({url: t.display, ...b});
      for (const x of await r.inDoubt()) gids.add(x.gid);
    } finally {
      await r.close();
    }
  }
  const total = accounts.reduce((s, a) => s + a.balance, 0);
  const expected = accounts.length * INITIAL_BALANCE;
  return {accounts, total, expected, conserved: total === expected, inDoubt: gids.size};
}
