// Whole-process benchmark harness: runs a subject and its anchor alternately
// (so machine noise hits both alike), reports medians and the ratio.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {createServer} from 'node:net';
import {arch, endianness, platform, tmpdir} from 'node:os';
import {join} from 'node:path';

export function timeOnce(cmd, args, opts = {}, allowExit = [0]) {
  return measureOnce(cmd, args, opts, allowExit).ms;
}

/**
 * One whole-process run: wall time, and with BENCH_CPU=1 (and GNU time
 * installed) its CPU time too, user + system as wait4 reports them (10 ms
 * resolution), which other work on a shared machine disturbs less than
 * wall time. Every run is wrapped alike, so the wrapper's cost is common.
 */
export function measureOnce(cmd, args, opts = {}, allowExit = [0]) {
  const cpu = process.env.BENCH_CPU === '1' && existsSync('/usr/bin/time');
  const dir = cpu ? mkdtempSync(join(tmpdir(), 'dial-bench-cpu-')) : undefined;
  try {
    const out = dir && join(dir, 'cpu');
    const [c, a] = cpu ? ['/usr/bin/time', ['-f', '%U %S', '-o', out, cmd, ...args]] : [cmd, args];
    const t0 = process.hrtime.bigint();
    const r = spawnSync(c, a, {stdio: ['ignore', 'pipe', 'pipe'], ...opts});
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (![0, ...allowExit].includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (!cpu) return {ms};
    const [user, sys] = readFileSync(out, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
    return {ms, cpuMs: (user + sys) * 1000};
  } finally {
    if (dir) rmSync(dir, {recursive: true, force: true});
  }
}

/** A free 127.0.0.1 port, for a server a bench starts. */
export async function freePort() {
  const srv = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const {port} = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The file NODE_EXTRA_CA_CERTS named when `npm run bench` started (bench/run.mjs
 * takes the variable out of the environment and leaves its value here), or
 * undefined when it was not set or BENCH_KEEP_EXTRA_CA=1 kept it in place.
 */
export function extraCaFile() {
  return process.env.BENCH_EXTRA_CA_FILE || undefined;
}

/** Is this subject a node process (whose start-up NODE_EXTRA_CA_CERTS slows)? */
const isNode = (s) => s.node ?? s.cmd === process.execPath;

/**
 * Compares subjects against one anchor: {name, cmd, args, allowExit?, node?}.
 * Warm-up runs are discarded. Returns rows {name, medianMs, ratio, runs},
 * with cpuMs and cpuRatio (medians of CPU time) under BENCH_CPU=1.
 *
 * bothCa: when the bench started with NODE_EXTRA_CA_CERTS set (extraCaFile()),
 * every node subject also runs with it, in the same alternation, and its row
 * gets withCaMs and withCaRatio (to the anchor, which a native anchor is
 * unaffected by; a node anchor is timed with it too). Without the variable
 * the rows are as before.
 */
export function compare({anchor, subjects, runs = 15, warmup = 2, env, discardStdout = false, bothCa = false}) {
  const all = [anchor, ...subjects];
  const ca = bothCa ? extraCaFile() : undefined;
  let base = env;
  let withCa;
  if (ca) {
    withCa = {...(env ?? process.env), NODE_EXTRA_CA_CERTS: ca};
    base = {...withCa};
    delete base.NODE_EXTRA_CA_CERTS;
  }
  const times = new Map(all.map((s) => [s.name, {without: [], with: [], cpu: []}]));
  // discardStdout: output goes to /dev/null (large outputs would overflow the pipe buffer).
  const opts = (e) => (discardStdout ? {env: e, stdio: ['ignore', 'ignore', 'pipe']} : {env: e});
  const once = (record) => {
    for (const s of all) {
      const t = times.get(s.name);
      const a = measureOnce(s.cmd, s.args, opts(base), s.allowExit);
      if (record) {
        t.without.push(a.ms);
        if (a.cpuMs !== undefined) t.cpu.push(a.cpuMs);
      }
      if (withCa && isNode(s)) {
        const b = timeOnce(s.cmd, s.args, opts(withCa), s.allowExit);
        if (record) t.with.push(b);
      }
    }
  };
  for (let i = 0; i < warmup; i++) once(false);
  for (let i = 0; i < runs; i++) once(true);
  const a = median(times.get(anchor.name).without);
  const aWith = withCa && isNode(anchor) ? median(times.get(anchor.name).with) : a;
  const aCpu = times.get(anchor.name).cpu.length ? median(times.get(anchor.name).cpu) : undefined;
  return all.map((s) => {
    const t = times.get(s.name);
    const m = median(t.without);
    const row = {name: s.name, medianMs: round(m), ratio: round(m / a, 2), runs, anchor: s === anchor};
    if (aCpu !== undefined) {
      const c = median(t.cpu);
      Object.assign(row, {cpuMs: round(c), cpuRatio: round(c / aCpu, 2)});
    }
    if (t.with.length) {
      const w = median(t.with);
      Object.assign(row, {withCaMs: round(w), withCaRatio: round(w / aWith, 2)});
    }
    return row;
  });
}

/**
 * Peak resident set size (MiB) of a whole process, from GNU time's %M (the
 * kernel's ru_maxrss of the child, as wait4 reports it): the median of `runs`.
 * undefined when /usr/bin/time is missing (apt-get install -y time).
 */
export function peakRssMiB(cmd, args, {env, runs = 5, allowExit = [0]} = {}) {
  if (!existsSync('/usr/bin/time')) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'dial-bench-rss-'));
  try {
    const out = join(dir, 'rss');
    const kib = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', out, cmd, ...args], {env, stdio: ['ignore', 'ignore', 'pipe']});
      if (![0, ...allowExit].includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      kib.push(Number(readFileSync(out, 'utf8').trim().split('\n').at(-1)));
    }
    return round(median(kib) / 1024);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** A live process's peak and current resident set size (MiB), from /proc/PID/status. */
export function procRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return {peak: round(kib('VmHWM') / 1024), now: round(kib('VmRSS') / 1024)};
}

/**
 * The native buf binary that @bufbuild/buf installed for this platform: the
 * package's own bin/buf is a Node script that starts it, so timing that
 * would add a whole Node start to every figure. The platform package names
 * follow the table in @bufbuild/buf's bin/buf.
 */
export function nativeBuf(root) {
  const names = {'linux x64': 'linux-x64', 'linux arm64': 'linux-aarch64', 'linux arm': 'linux-armv7', 'darwin x64': 'darwin-x64', 'darwin arm64': 'darwin-arm64'};
  const name = endianness() === 'LE' ? names[`${platform()} ${arch()}`] : undefined;
  if (!name) return undefined;
  try {
    return createRequire(join(root, 'package.json')).resolve(`@bufbuild/buf-${name}/bin/buf`);
  } catch {
    return undefined;
  }
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
