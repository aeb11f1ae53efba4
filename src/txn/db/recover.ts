import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {DialError, usageError} from '../../errors/index.js';
import {FileLog, readLogFile} from '../real/file-log.js';
import type {Outcome} from '../types.js';
import {coordinatorId, parseGid, sqlSafeGid, txnStartedAt} from './gid.js';
import {decideDialTxn, undecidedDialTxns} from './dial-branches.js';
import {isBranches} from './network.js';
import {openResource} from './open.js';
import type {DbResource, LockedRow} from './resource.js';
import {targetsFor} from './setup.js';

export interface InDoubtView {
  gid: string;
  url: string;
  kind: 'pg' | 'mysql';
  ageMs?: number;
  owner?: string;
  /** ours: this DIAL_HOME's coordinator made it; other-dial: another dial coordinator's; foreign: not dial's. */
  owned: 'ours' | 'other-dial' | 'foreign';
  /** What the coordinator's log says of its transaction: commit, abort (a decision, or presumed), or undefined when not ours. */
  logged?: Outcome;
  presumed?: boolean;
}

export interface DbStatus {
  coordinatorId: string;
  logFile: string;
  databases: {url: string; kind: 'pg' | 'mysql'; reachable: boolean; error?: string; inDoubt: InDoubtView[]; locked: LockedRow[]; balances: {account: string; balance: number}[]}[];
}

/** The coordinator's decisions from its log: txn -> commit, plus which ended. */
export function loggedDecisions(dir: string): {commit: Set<string>; abort: Set<string>; ended: Set<string>; known: Set<string>} {
  const {records} = readLogFile(join(dir, 'coordinator.log'));
  const out = {commit: new Set<string>(), abort: new Set<string>(), ended: new Set<string>(), known: new Set<string>()};
  for (const r of records) {
    const x: unknown = r;
    if (isBranches(x)) {
      out.known.add(x.txn);
      continue;
    }
    if (!('txn' in r)) continue;
    out.known.add(r.txn);
    if (r.type === 'COMMIT') out.commit.add(r.txn);
    else if (r.type === 'ABORT') out.abort.add(r.txn);
    else if (r.type === 'END') out.ended.add(r.txn);
  }
  return out;
}

function classify(gid: string, mine: string, log: ReturnType<typeof loggedDecisions>): Pick<InDoubtView, 'owned' | 'logged' | 'presumed' | 'ageMs'> {
  const g = parseGid(gid);
  if (!g) return {owned: 'foreign'};
  const started = txnStartedAt(g.txn);
  const ageMs = started ? Date.now() - started : undefined;
  if (g.coordinator !== mine) return {owned: 'other-dial', ageMs};
  if (log.commit.has(g.txn)) return {owned: 'ours', logged: 'commit', ageMs};
  return {owned: 'ours', logged: 'abort', presumed: !log.abort.has(g.txn), ageMs};
}

async function withResources<T>(home: string, urls: string[], fn: (rs: DbResource[]) => Promise<T>): Promise<T> {
  const targets = targetsFor(home, urls);
  if (!targets.length) throw usageError('no databases to look at', "give them with --participant URL (or run 'dial txn setup' / 'dial txn run --participant' first, which remembers them)");
  const rs = await Promise.all(targets.map((t) => openResource(t, {max: 2})));
  try {
    return await fn(rs);
  } finally {
    await Promise.all(rs.map((r) => r.close()));
  }
}

/** What each database holds in doubt, with age, owner, the rows it locks and what a plain UPDATE of them meets. */
export async function dbStatus(home: string, urls: string[], probeMs: number): Promise<DbStatus> {
  const dir = join(home, 'txn-db');
  const mine = coordinatorId(dir);
  const log = loggedDecisions(dir);
  return withResources(home, urls, async (rs) => {
    const databases = await Promise.all(rs.map(async (r) => {
      const base = {url: r.target.display, kind: r.target.kind};
      try {
        const raw = await r.inDoubt();
        const inDoubt = raw.map((x) => {
          const c = classify(x.gid, mine, log);
          return {gid: x.gid, url: r.target.display, kind: r.target.kind, owner: x.owner, ...c, ageMs: x.since ? Date.now() - x.since : c.ageMs};
        });
        const locked = inDoubt.length ? await r.lockedRows(probeMs) : [];
        const balances = await r.balances().catch(() => []);
        return {...base, reachable: true, inDoubt, locked, balances};
      } catch (e) {
        if (e instanceof DialError && e.code !== 'DB_UNREACHABLE' && e.code !== 'DB_NO_SCHEMA') throw e;
        return {...base, reachable: false, error: (e as Error).message, inDoubt: [], locked: [], balances: []};
      }
    }));
    return {coordinatorId: mine, logFile: join(dir, 'coordinator.log'), databases};
  });
}

export interface RecoverAction {
  gid: string;
  url: string;
  action: 'committed' | 'rolled back' | 'left alone' | 'gone';
  why: string;
}

export interface DbRecoverResult {
  coordinatorId: string;
  actions: RecoverAction[];
  /** Branches left in doubt (not this coordinator's), by gid. */
  leftInDoubt: string[];
  balances: {url: string; account: string; balance: number}[];
  total: number;
}

/**
 * Resolves every in-doubt branch this coordinator owns: COMMIT PREPARED /
 * XA COMMIT where its log holds COMMIT, a rollback where it logged ABORT or
 * nothing (presumed abort). Branches of other coordinators and foreign ones
 * are reported and left alone, unless named in forceAbort.
 */
export async function recoverDatabases(home: string, urls: string[], forceAbort: string[] = []): Promise<DbRecoverResult> {
  for (const g of forceAbort) if (!sqlSafeGid(g)) throw usageError(`--force-abort: '${g}' is not a transaction id dial can name safely`, 'copy the GID as dial txn status shows it');
  const dir = join(home, 'txn-db');
  const mine = coordinatorId(dir);
  const log = loggedDecisions(dir);
  const actions: RecoverAction[] = [];
  const resolved = new Set<string>();
  const result = await withResources(home, urls, async (rs) => {
    for (const r of rs) {
      for (const x of await r.inDoubt()) {
        // XA RECOVER lists the whole server: only branches dial made for this database's URL, or foreign ones once.
        if (actions.some((a) => a.gid === x.gid)) continue;
        const c = classify(x.gid, mine, log);
        const url = r.target.display;
        if (forceAbort.includes(x.gid)) {
          const ok = await r.rollbackPrepared(x.gid);
          actions.push({gid: x.gid, url, action: ok ? 'rolled back' : 'gone', why: '--force-abort'});
        } else if (c.owned !== 'ours') {
          actions.push({gid: x.gid, url, action: 'left alone', why: c.owned === 'other-dial' ? `another dial coordinator's (${parseGid(x.gid)!.coordinator}): recover from its DIAL_HOME, or --force-abort ${x.gid}` : `not a dial transaction: its own transaction manager must resolve it (or --force-abort ${x.gid})`});
        } else if (c.logged === 'commit') {
          const ok = await r.commitPrepared(x.gid);
          actions.push({gid: x.gid, url, action: ok ? 'committed' : 'gone', why: 'the coordinator logged COMMIT'});
          resolved.add(parseGid(x.gid)!.txn);
        } else {
          const ok = await r.rollbackPrepared(x.gid);
          actions.push({gid: x.gid, url, action: ok ? 'rolled back' : 'gone', why: c.presumed ? 'no decision logged: presumed abort' : 'the coordinator logged ABORT'});
          resolved.add(parseGid(x.gid)!.txn);
        }
      }
    }
    for (const f of forceAbort) if (!actions.some((a) => a.gid === f)) actions.push({gid: f, url: '-', action: 'gone', why: 'no database holds it in doubt'});
    const balances: DbRecoverResult['balances'] = [];
    for (const r of rs) for (const b of await r.balances().catch(() => [])) balances.push({url: r.target.display, ...b});
    const left = [];
    for (const r of rs) for (const x of await r.inDoubt()) left.push(x.gid);
    return {coordinatorId: mine, actions, leftInDoubt: [...new Set(left)], balances, total: balances.reduce((s, b) => s + b.balance, 0)};
  });
  // dial's own participants of this coordinator's transactions: its decision, or presumed abort.
  for (const u of undecidedDialTxns(dir)) {
    const commit = log.commit.has(u.txn);
    await decideDialTxn(u.file, u.txn, commit ? 'commit' : 'abort');
    result.actions.push({gid: `dial:${mine}:${u.txn}:${u.pid}`, url: 'dial', action: commit ? 'committed' : 'rolled back', why: commit ? 'the coordinator logged COMMIT' : log.abort.has(u.txn) ? 'the coordinator logged ABORT' : 'no decision logged: presumed abort'});
    resolved.add(u.txn);
  }
  // The transactions are over everywhere: END in the coordinator's log.
  if (resolved.size && existsSync(join(dir, 'coordinator.log'))) {
    const fl = new FileLog(join(dir, 'coordinator.log'));
    for (const txn of resolved) if (!log.ended.has(txn)) void fl.append({type: 'END', txn}, false);
    await fl.close();
  }
  return result;
}


