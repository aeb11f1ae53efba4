// Whole-process benchmark harness: runs a subject and its anchor alternately
// (so machine noise hits both alike), reports medians and the ratio.
import {spawnSync} from 'node:child_process';

export function timeOnce(cmd, args, opts = {}, allowExit = [0]) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {stdio: ['ignore', 'pipe', 'pipe'], ...opts});
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (![0, ...allowExit].includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Compares subjects against one anchor: {name, cmd, args}. Warm-up runs are
 * discarded. Returns rows {name, medianMs, ratio, runs}.
 */
export function compare({anchor, subjects, runs = 15, warmup = 2, env, discardStdout = false}) {
  const all = [anchor, ...subjects];
  const times = new Map(all.map((s) => [s.name, []]));
  // discardStdout: output goes to /dev/null (large outputs would overflow the pipe buffer).
  const opts = discardStdout ? {env, stdio: ['ignore', 'ignore', 'pipe']} : {env};
  for (let i = 0; i < warmup; i++) for (const s of all) timeOnce(s.cmd, s.args, opts, s.allowExit);
  for (let i = 0; i < runs; i++) for (const s of all) times.get(s.name).push(timeOnce(s.cmd, s.args, opts, s.allowExit));
  const a = median(times.get(anchor.name));
  return all.map((s) => {
    const m = median(times.get(s.name));
    return {name: s.name, medianMs: round(m), ratio: round(m / a, 2), runs, anchor: s === anchor};
  });
}

export function round(x, d = 1) {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

export function printTable(title, rows, target) {
  process.stdout.write(`\n${title}\n`);
  for (const r of rows) {
    const extra = Object.entries(r).filter(([k]) => !['name', 'medianMs', 'ratio', 'runs', 'anchor'].includes(k)).map(([k, v]) => `${k}=${v}`).join(' ');
    process.stdout.write(`  ${r.anchor ? '(anchor) ' : '         '}${r.name.padEnd(48)} ${String(r.medianMs ?? '').padStart(9)} ms  x${String(r.ratio ?? '').padEnd(5)} ${extra}\n`);
  }
  if (target) process.stdout.write(`  target: ${target}\n`);
}
