import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {TestContext} from 'node:test';

export const OPENSSL = '/usr/bin/openssl';
/** Tests that need openssl skip with this message when it is missing. */
export const NO_OPENSSL = existsSync(OPENSSL) ? false : 'openssl is not installed: apt-get install -y openssl';

/** Runs openssl; returns exit status and output (never throws for a non-zero exit). */
export function openssl(args: string[], opts: {cwd?: string; input?: string} = {}): {status: number; out: string} {
  const r = spawnSync(OPENSSL, args, {cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8', timeout: 20_000});
  return {status: r.status ?? -1, out: `${r.stdout}${r.stderr}`};
}

export function opensslOk(args: string[], cwd?: string): string {
  return execFileSync(OPENSSL, args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

/** A temp folder removed after the test (or suite). */
export function tempDir(t?: TestContext | {after: (fn: () => void) => void}): string {
  const dir = mkdtempSync(join(tmpdir(), 'dial-tls-'));
  t?.after(() => rmSync(dir, {recursive: true, force: true}));
  return dir;
}
