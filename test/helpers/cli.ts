import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {TestContext} from 'node:test';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'run.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws when it is not). */
  json<T = unknown>(): T;
}

/**
 * A fresh DIAL_HOME. With a test context, any cluster started in it is
 * stopped and the folder removed when the test ends, pass or fail.
 */
export function tempHome(t?: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'dial-test-'));
  t?.after(async () => {
    if (existsSync(join(dir, 'daemon.pid')) || existsSync(join(dir, 'cluster.json'))) await stopCluster(dir);
    rmSync(dir, {recursive: true, force: true});
  });
  return dir;
}

export interface RunOptions {
  home: string;
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  cwd?: string;
}

/** Runs `dial ARGS` as a user would: a child process of bin/run.js, no TTY. */
export function runDial(args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: {...process.env, DIAL_HOME: opts.home, NO_COLOR: '1', CI: 'true', DIAL_REGISTRY: '', DIAL_TOKEN: '', ...opts.env},
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dial ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? -1, stdout, stderr,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`stdout of 'dial ${args.join(' ')}' is not JSON:\n${stdout}\nstderr: ${stderr}`);
          }
        },
      });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Starts a cluster on free ports in `home`. Register `stopCluster(home)` with
 * the suite's after() at describe level (hooks added inside a running hook
 * attach to that hook and run at once). Only the gRPC greeters start unless
 * `extra` has its own `--demos` (e.g. `['--demos', 'all']`), so tests pay
 * only for the demo processes they use.
 */
export async function startCluster(home: string, extra: string[] = []): Promise<RunResult> {
  const demos = extra.includes('--demos') ? [] : ['--demos', 'grpc'];
  const up = await runDial(['cluster', 'up', '--port', '0', '--json', ...demos, ...extra], {home, timeoutMs: 60_000});
  if (up.code !== 0) {
    await stopCluster(home);
    throw new Error(`cluster up failed (${up.code}): ${up.stdout}\n${up.stderr}`);
  }
  return up;
}

export async function stopCluster(home: string): Promise<void> {
  await runDial(['cluster', 'down', '--timeout', '5s'], {home});
}

/** For a describe block: a DIAL_HOME with a running cluster, stopped and removed after the suite. */
export function clusterSuite(after: (fn: () => Promise<void>) => void): {home: string} {
  const home = tempHome();
  after(async () => {
    await stopCluster(home);
    rmSync(home, {recursive: true, force: true});
  });
  return {home};
}

/** A `dial ARGS` running in the background (watch, wait, a held registration): its output so far and its exit code. */
export interface BackgroundDial {
  child: ReturnType<typeof spawn>;
  exited: Promise<number>;
  out(): string;
  err(): string;
}

/** Resolves once `text` appears in the output (`stream`), or fails after `ms`. */
export async function outputIncludes(bg: BackgroundDial, text: string, stream: 'out' | 'err' = 'err', ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!bg[stream]().includes(text)) {
    if (Date.now() > deadline) throw new Error(`'${text}' did not appear in ${stream === 'out' ? 'stdout' : 'stderr'} within ${ms}ms\nstdout: ${bg.out()}\nstderr: ${bg.err()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function startDial(t: Pick<TestContext, 'after'>, args: string[], opts: RunOptions): BackgroundDial {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: {...process.env, DIAL_HOME: opts.home, NO_COLOR: '1', CI: 'true', DIAL_REGISTRY: '', DIAL_TOKEN: '', ...opts.env},
  });
  // Killed when the test ends: after a failed assertion a running child would
  // hold the file open until the runner's timeout instead of letting it report.
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return {child, exited, out: () => stdout, err: () => stderr};
}

/** True while a process exists (signal 0 succeeds). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
