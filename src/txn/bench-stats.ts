import type {BenchTimings} from './real/wire.js';

export interface PhaseStats {
  p50: number;
  p95: number;
  mean: number;
}

export interface BenchSummary {
  fsync: boolean;
  transactions: number;
  committed: number;
  txPerSec: number;
  /** ms per phase: prepare (PREPARE -> all votes, incl. PREPARED forces), force (the coordinator's COMMIT), commit (COMMIT -> all ACKs, incl. participants' forces), total. */
  phases: Record<'prepare' | 'force' | 'commit' | 'total', PhaseStats>;
}

function stats(xs: number[]): PhaseStats {
  if (!xs.length) return {p50: 0, p95: 0, mean: 0};
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  const r = (x: number) => Math.round(x * 100) / 100;
  return {p50: r(at(0.5)), p95: r(at(0.95)), mean: r(s.reduce((a, b) => a + b, 0) / s.length)};
}

export function summarizeBench(t: BenchTimings, fsync: boolean): BenchSummary {
  return {
    fsync,
    transactions: t.total.length,
    committed: t.committed,
    txPerSec: Math.round((t.total.length / t.wallMs) * 1000 * 10) / 10,
    phases: {prepare: stats(t.prepare), force: stats(t.force), commit: stats(t.commit), total: stats(t.total)},
  };
}
