import {readFileSync, rmSync, writeFileSync} from 'node:fs';

/** True when a process with this pid exists (signal 0 probe). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates the pid file exclusively (O_EXCL). A pid file whose process is gone
 * is stale: it is removed and creation retried. Returns false when a live
 * process owns it.
 */
export function acquirePidFile(file: string, pid = process.pid): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${pid}\n`, {flag: 'wx', mode: 0o600});
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readPid(file);
      if (owner !== undefined && owner !== pid && isAlive(owner)) return false;
      rmSync(file, {force: true});
    }
  }
  return false;
}

export function releasePidFile(file: string, pid = process.pid): void {
  if (readPid(file) === pid) rmSync(file, {force: true});
}

/** Waits until `pid` is gone or the deadline passes; true when gone. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !isAlive(pid);
}
