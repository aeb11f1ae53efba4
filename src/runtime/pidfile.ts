import {readFileSync, rmSync, writeFileSync} from 'node:fs';

/** True when a process with this pid exists (signal 0 probe). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A killed process whose parent has not reaped it yet (a daemon killed with
 * SIGKILL is re-parented to PID 1, which in containers may reap late) still
 * answers kill(pid, 0); on Linux /proc tells it is a zombie, i.e. dead.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
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
  // Waits until the pid is gone entirely (reaped), not only dead: callers then see no trace of it.
  const gone = () => !isAlive(pid) && !exists(pid);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !isAlive(pid);
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
