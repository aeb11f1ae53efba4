// 2PC with 3 participants on the real processes of a temp cluster: tx/s and
// latency per phase with real fdatasync and with it off, next to the anchor:
// one append + fdatasync in a plain script. A 2PC commit has three forces on
// its critical path (PREPARED at the participants in parallel, COMMIT at the
// coordinator, COMMIT at the participants in parallel), so 3 x the anchor is
// the floor that durability sets.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {median, round} from './harness.mjs';
import {dbTable} from './txn-db.mjs';

async function ownParticipants({root, runs}) {
  const home = mkdtempSync(join(tmpdir(), 'dial-bench-txn-'));
  const bin = join(root, 'bin', 'run.js');
  const env = {...process.env, DIAL_HOME: home, NO_COLOR: '1'};
  const dial = (...args) => JSON.parse(execFileSync(process.execPath, [bin, ...args, '--json'], {env, maxBuffer: 64 << 20}).toString());
  const count = Number(process.env.BENCH_TXNS ?? 300);
  try {
    dial('cluster', 'up', '--port', '0', '--instances', '1');
    dial('txn', 'bench', '--transactions', '20');
    const anchors = [];
    const on = [];
    const off = [];
    for (let i = 0; i < Math.max(3, Math.round(runs / 5)); i++) {
      anchors.push(JSON.parse(execFileSync(process.execPath, [join(root, 'bench', 'anchors', 'fsync-append.mjs'), join(home, 'anchor.log'), String(count)]).toString()).msPerForce);
      on.push(dial('txn', 'bench', '--transactions', String(count)));
      off.push(dial('txn', 'bench', '--transactions', String(count), '--no-fsync'));
    }
    const anchor = median(anchors);
    const row = (name, xs) => {
      const total = median(xs.map((x) => x.phases.total.mean));
      const phase = (k) => round(median(xs.map((x) => x.phases[k].p50)), 2);
      return {
        name, medianMs: round(total, 2), ratio: round(total / anchor, 2), runs: xs.length,
        txPerSec: round(median(xs.map((x) => x.txPerSec))), prepareP50: phase('prepare'), forceP50: phase('force'), commitP50: phase('commit'), p95: round(median(xs.map((x) => x.phases.total.p95)), 2),
      };
    };
    return {
      title: `2PC, 3 participants, ${count} transactions back to back (ms per transaction; anchor: one append + fdatasync)`,
      rows: [
        {name: 'anchor: append + fdatasync (one force)', medianMs: round(anchor, 3), ratio: 1, runs: anchors.length, anchor: true},
        row('dial txn bench (fsync on)', on),
        row('dial txn bench --no-fsync', off),
      ],
      target: 'fsync on costs about 3 forces (the critical path) more than fsync off',
    };
  } finally {
    execFileSync(process.execPath, [bin, 'cluster', 'down'], {env});
    rmSync(home, {recursive: true, force: true});
  }
}

// dial's own participants, then (after the cluster is down) real databases:
// bench/txn-db.mjs. BENCH_TXN_DB=0 leaves the databases out, BENCH_TXN_OWN=0
// dial's own participants.
export default async function txn(opts) {
  const own = process.env.BENCH_TXN_OWN === '0' ? undefined : await ownParticipants(opts);
  const db = process.env.BENCH_TXN_DB === '0' ? [] : [await dbTable(opts)];
  if (!own) return {...db[0], more: []};
  return {...own, more: db};
}
