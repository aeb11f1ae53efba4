// 2PC over two real PostgreSQL servers (started here in temp dirs on free
// ports, as the tests do), dial's coordinator side by side with its anchor:
// bench/anchors/pg-2pc.mjs, the same transfer by node-postgres alone
// (BEGIN; UPDATE; PREPARE TRANSACTION on both, then COMMIT PREPARED on both,
// no decision log). At 1 and 8 transactions in flight, with fsync on
// (PostgreSQL fsync + synchronous_commit, dial's coordinator log fdatasync)
// and all of it off. dial runs as a user runs a batch: one `dial txn bench
// --participant ... --concurrency N` process, timed from its own clock
// (process start-up is not in the figures, nor is it in the anchor's).
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {median, round} from './harness.mjs';

export async function dbTable({root, runs}) {
  const {missingServer, startPostgres} = await import(pathToFileURL(join(root, 'dist', 'src', 'txn', 'db', 'local-server.js')).href);
  const title = '2PC over two PostgreSQL servers: dial txn bench --participant vs a node-postgres script (p50 ms per transaction; ofAnchor = share of the anchor\'s tx/s)';
  const why = missingServer('pg');
  if (why) return {title, rows: [{name: `skipped: ${why}`, runs: 0}]};
  const home = mkdtempSync(join(tmpdir(), 'dial-bench-txn-db-'));
  const bin = join(root, 'bin', 'run.js');
  const env = {...process.env, DIAL_HOME: home, NO_COLOR: '1'};
  const dial = (...args) => JSON.parse(execFileSync(process.execPath, [bin, ...args, '--json'], {env, maxBuffer: 64 << 20}).toString());
  const anchor = (...args) => JSON.parse(execFileSync(process.execPath, [join(root, 'bench', 'anchors', 'pg-2pc.mjs'), ...args]).toString());
  const count = Number(process.env.BENCH_DB_TXNS ?? 500);
  const rounds = Math.max(3, Math.round(runs / 5));
  // Untimed transactions at the start of every run, on both sides (connections are opened before the clock on both, too).
  const warmup = String(process.env.BENCH_DB_WARMUP ?? 100);
  const rows = [];
  try {
    for (const fsync of [true, false]) {
      // One after the other, so a server that started is stopped (finally) when the second fails to start.
      const servers = [];
      try {
        for (let i = 0; i < 2; i++) servers.push(await startPostgres({fsync, maxPrepared: 20}));
        const [a, b] = [servers[0].url('bench_a'), servers[1].url('bench_b')];
        const db = ['--participant', a, '--participant', b, ...(fsync ? [] : ['--no-fsync'])];
        dial('txn', 'setup', '--participant', a, '--participant', b);
        // Creates the rows bench-1..bench-8 and warms both servers up.
        dial('txn', 'bench', ...db, '--transactions', '50', '--concurrency', '8');
        anchor(a, b, '50', '8');
        for (const c of [1, 8]) {
          const xs = {anchor: [], dial: []};
          // Alternately, so that machine noise hits both alike.
          for (let i = 0; i < rounds; i++) {
            xs.anchor.push(anchor(a, b, String(count), String(c), warmup));
            const r = dial('txn', 'bench', ...db, '--transactions', String(count), '--concurrency', String(c), '--warmup', warmup);
            if (!r.conserved || r.aborted) throw new Error(`dial txn bench: ${r.aborted} aborted, conserved ${r.conserved}`);
            xs.dial.push({txPerSec: r.txPerSec, p50: r.latency.p50, p99: r.latency.p99});
          }
          const m = (k, key) => median(xs[k].map((x) => x[key]));
          const f = fsync ? 'fsync on' : 'fsync off';
          rows.push({name: `anchor: node-postgres script, ${c} in flight, ${f}`, medianMs: round(m('anchor', 'p50'), 2), ratio: 1, runs: rounds, anchor: true, txPerSec: round(m('anchor', 'txPerSec')), p99: round(m('anchor', 'p99'), 2)});
          rows.push({name: `dial txn bench --participant, ${c} in flight, ${f}`, medianMs: round(m('dial', 'p50'), 2), ratio: round(m('dial', 'p50') / m('anchor', 'p50'), 2), runs: rounds,
            txPerSec: round(m('dial', 'txPerSec')), p99: round(m('dial', 'p99'), 2), ofAnchor: round(m('dial', 'txPerSec') / m('anchor', 'txPerSec'), 2)});
        }
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    }
    return {title, rows, target: `dial at least 0.8 of the anchor's tx/s (ofAnchor) at 1 and 8 in flight; ${count} transactions a run after ${warmup} untimed`};
  } finally {
    rmSync(home, {recursive: true, force: true});
  }
}
