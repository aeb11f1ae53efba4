import {open, readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {homePaths} from '../config/index.js';
import {DialError, ExitCode} from '../errors/index.js';

/** The log file of the daemon, or of one instance. */
export function logFileFor(home: string, instance?: string): string {
  const p = homePaths(home);
  if (!instance) return p.logFile;
  if (!/^[A-Za-z0-9._-]+$/.test(instance)) {
    throw new DialError('USAGE', `'${instance}' is not an instance ID`, {exitCode: ExitCode.Usage, hint: "see 'dial cluster status' for IDs"});
  }
  return join(p.instancesDir, `${instance}.log`);
}

/** The last `n` lines of a log. */
export async function readLogs(home: string, instance: string | undefined, n: number): Promise<{file: string; lines: string[]}> {
  const file = logFileFor(home, instance);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new DialError('NO_LOG', `no log at ${file}`, {
      hint: instance ? "see 'dial cluster status' for instance IDs" : "the cluster has not run in this DIAL_HOME; run 'dial cluster up'",
    });
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return {file, lines: n === 0 ? [] : lines.slice(-n)};
}

/** Calls `onLine` for each line appended to `file` until the signal aborts. */
export async function followLogs(file: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
  let pos = (await stat(file)).size;
  let partial = '';
  while (!signal.aborted) {
    await new Promise((r) => setTimeout(r, 200));
    const size = (await stat(file).catch(() => ({size: 0}))).size;
    if (size < pos) pos = 0;
    if (size === pos) continue;
    const fh = await open(file, 'r');
    const buf = Buffer.alloc(size - pos);
    await fh.read(buf, 0, buf.length, pos);
    await fh.close();
    pos = size;
    const parts = (partial + buf.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) onLine(l);
  }
}
