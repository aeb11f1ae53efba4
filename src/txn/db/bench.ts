import {join} from 'node:path';
import {usageError} from '../../errors/index.js';
import {COORDINATOR} from '../bank.js';
import {NO_FAULTS} from '../faults.js';
import type {CoordNode} from '../coordinator.js';
import type {Pid} from '../types.js';
import {coordinatorId, newTxnId} from './gid.js';
import {remember} from './known.js';
import {DbNetwork} from './network.js';
import {openBranches, parseParticipants} from './run.js';
import type {Stmt} from './resource.js';

export interface DbBenchRequest {
  participants: string[];
  transactions: number;
  /** Transactions in flight at once (each on its own pair of rows, so they do not wait for each other's locks). */
  concurrency: number;
  /** fdatasync the coordinator's forced records (its COMMIT decisions). */
  fsync: boolean;
  /** Untimed transactions run first (connections, JIT and both servers warm), as the anchor does. */
  warmup?: number;
  timeoutMs?: number;
}

export interface LatencyStats {
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export interface DbBenchResult {
  kind: 'db-bench';
  participants: string[];
  transactions: number;
  concurrency: number;
  fsync: boolean;
  warmup: number;
  committed: number;
  aborted: number;
  wallMs: number;
  txPerSec: number;
  /** ms from BEGIN to END at the coordinator, per transaction. */
  latency: LatencyStats;
  /** The bench rows hold as much money in total as before. */
  conserved: boolean;
}

/** The rows the bench moves money between: one per worker, in every database's dial_accounts. */
export const benchAccount = (worker: number) => `bench-${worker}`;

export function latencyStats(xs: number[]): LatencyStats {
  if (!xs.length) return {p50: 0, p99: 0, mean: 0, max: 0};
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  const r = (x: number) => Math.round(x * 100) / 100;
  return {p50: r(at(0.5)), p99: r(at(0.99)), mean: r(s.reduce((a, b) => a + b, 0) / s.length), max: r(s[s.length - 1])};
}

/**
 * 2PC over real databases as a batch: the databases are opened once (a pool
 * of `concurrency` connections each), one coordinator with its durable log
 * (DIAL_HOME/txn-db/coordinator.log, as `txn run`) runs every transaction,
 * `concurrency` at a time. Worker w moves 1 back and forth between the rows
 * bench-w of p1 and p2 (created at 100 if missing), so workers never wait for
 * each other's row locks and the balances stay where they were.
 */
export async function benchDatabases(home: string, req: DbBenchRequest): Promise<DbBenchResult> {
  const parsed = parseParticipants(req.participants);
  const ps: Pid[] = parsed.map((p) => p.pid);
  const dbs = parsed.filter((p) => p.target).length;
  if (dbs < 2) throw usageError(`--participant: the bench moves money between two databases, ${dbs} given`, 'give at least two database URLs (pg://... or mysql://...)');
  const dir = join(home, 'txn-db');
  const cid = coordinatorId(dir);
  const {branches, resources} = await openBranches(parsed, req.concurrency + 1);
  let net: DbNetwork | undefined;
  try {
    await Promise.all(resources.map((r) => r.check()));
    remember(dir, resources.map((r) => r.target.display));
    const db = branches.flatMap((b) => (b.kind === 'db' ? [b] : []));
    for (const b of db) for (let w = 1; w <= req.concurrency; w++) await b.resource.setup(benchAccount(w), 100, false);
    const sumRows = async () => {
      let s = 0;
      for (const b of db) for (const r of await b.resource.balances()) if (r.account.startsWith('bench-')) s += r.balance;
      return s;
    };
    const before = await sumRows();
    const waiting = new Map<string, (outcome: 'commit' | 'abort') => void>();
    const outcomes = new Map<string, 'commit' | 'abort'>();
    net = await DbNetwork.open({
      dir, coordinatorId: cid, branches, faults: NO_FAULTS, timeoutMs: req.timeoutMs ?? 5000, random: Math.random, fsync: req.fsync, replay: false, pipelined: true, crash: () => undefined,
      // The bench reads when each transaction ends and how: no other event is built.
      wants: (kind) => kind === 'decide' || kind === 'state',
      onEvent: (e) => {
        if (e.proc !== COORDINATOR) return;
        if (e.kind === 'decide') outcomes.set(e.txn, e.outcome);
        if (e.kind === 'state' && e.to === 'END') waiting.get(e.txn)?.(outcomes.get(e.txn) ?? 'abort');
      },
    });
    const n = net;
    const [from, to] = db;
    // Every connection a worker will use is open before the clock starts (the anchor opens its own first, too).
    await Promise.all(resources.map((r) => r.connect(req.concurrency)));
    const batch = async (count: number, lat: number[]) => {
      let started = 0;
      let committed = 0;
      await Promise.all(Array.from({length: req.concurrency}, async (_, i) => {
        const account = benchAccount(i + 1);
        for (let k = 0; started < count; k++) {
          started++;
          const txn = newTxnId();
          const d = k % 2 ? 1 : -1;
          const work: Record<Pid, Stmt[]> = {};
          for (const b of db) work[b.pid] = b === from ? [b.resource.transferStmt(account, d)] : b === to ? [b.resource.transferStmt(account, -d)] : [];
          n.work.set(txn, work);
          n.note(txn, Object.fromEntries(branches.map((b) => [b.pid, b.kind === 'db' ? b.resource.target.display : 'dial'])));
          const s = performance.now();
          const done = new Promise<'commit' | 'abort'>((resolve) => waiting.set(txn, resolve));
          const deltas = Object.fromEntries(ps.map((p) => [p, 0]));
          await n.coordinator.input({kind: 'begin', spec: {txn, protocol: '2pc', participants: ps, deltas}});
          if ((await done) === 'commit') committed++;
          lat.push(performance.now() - s);
          // A batch of thousands: the coordinator forgets what has ended (its log keeps it), so each step stays cheap.
          waiting.delete(txn);
          outcomes.delete(txn);
          n.work.delete(txn);
          n.states.delete(txn);
          delete (n.coordinator.node as CoordNode).txns[txn];
        }
      }));
      return committed;
    };
    const warmup = req.warmup ?? 0;
    const warmed = warmup > 0 ? await batch(warmup, []) : 0;
    if (warmed < warmup) throw new Error(`dial txn bench: ${warmup - warmed} of the ${warmup} warm-up transactions aborted`);
    const lat: number[] = [];
    const t0 = performance.now();
    const committed = await batch(req.transactions, lat);
    const wallMs = performance.now() - t0;
    await n.drain();
    const after = await sumRows();
    return {
      kind: 'db-bench', participants: resources.map((r) => r.target.display), transactions: lat.length, concurrency: req.concurrency, fsync: req.fsync, warmup,
      committed, aborted: lat.length - committed, wallMs: Math.round(wallMs), txPerSec: Math.round((lat.length / wallMs) * 1000 * 10) / 10,
      latency: latencyStats(lat), conserved: before === after,
    };
  } finally {
    await net?.close();
    await Promise.all(resources.map((r) => r.close()));
  }
}
