import type {TxnEvent} from '../events.js';
import type {ProcessHost} from '../host.js';
import type {BenchBody, BenchTimings} from './wire.js';

/**
 * Runs `count` transactions back to back on the coordinator and times the
 * phases from its own events: PREPARE sent -> all votes in (includes the
 * participants' PREPARED forces), the COMMIT force, decision sent -> every
 * ACK (includes the participants' COMMIT forces).
 */
export async function runBench(host: ProcessHost, body: BenchBody, listeners: Set<(e: TxnEvent) => void>): Promise<BenchTimings> {
  const out: BenchTimings = {prepare: [], force: [], commit: [], total: [], committed: 0, wallMs: 0};
  const wall0 = performance.now();
  for (let i = 1; i <= body.count; i++) {
    const txn = `B${process.pid}-${Date.now().toString(36)}-${i}`;
    const t0 = performance.now();
    let forced: {at: number; ms: number} | undefined;
    const done = new Promise<'commit' | 'abort'>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${txn} did not finish within 10s`)), 10_000);
      const l = (e: TxnEvent) => {
        if (e.kind === 'log' && e.record.type === 'COMMIT' && e.record.txn === txn) forced = {at: performance.now(), ms: e.ms ?? 0};
        if (e.kind === 'state' && e.txn === txn && e.to === 'END') {
          clearTimeout(timer);
          listeners.delete(l);
          resolve(forced ? 'commit' : 'abort');
        }
      };
      listeners.add(l);
    });
    // Transfers go back and forth, so the balances never run out.
    const deltas = Object.fromEntries(Object.entries(body.spec.deltas).map(([p, d]) => [p, i % 2 ? d : -d]));
    await host.input({kind: 'begin', spec: {...body.spec, deltas, txn}});
    const outcome = await done;
    const end = performance.now();
    out.total.push(end - t0);
    if (outcome === 'commit' && forced) {
      out.committed++;
      out.prepare.push(forced.at - forced.ms - t0);
      out.force.push(forced.ms);
      out.commit.push(end - forced.at);
    }
  }
  out.wallMs = performance.now() - wall0;
  return out;
}
