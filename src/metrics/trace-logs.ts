import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {homePaths} from '../config/index.js';
import {usageError} from '../errors/index.js';

export interface TraceLogLine {
  /** "daemon" or the instance ID whose log holds the line. */
  source: string;
  line: string;
}

/** Validates a trace id (32 hex digits, or a prefix of at least 8) as typed by the user. */
export function checkTraceId(id: string): string {
  const t = id.trim().toLowerCase();
  if (!/^[0-9a-f]{8,32}$/.test(t)) {
    throw usageError(`'${id}' is not a trace id`, "a trace id is 32 hex digits (or a prefix of 8 or more); 'dial call -v' prints it");
  }
  return t;
}

/**
 * The lines of the daemon log and every instance log (or only `instance`'s)
 * that mention the trace id, ordered by their leading ISO timestamp.
 */
export async function traceLogLines(home: string, traceId: string, instance?: string): Promise<TraceLogLine[]> {
  const id = checkTraceId(traceId);
  const p = homePaths(home);
  const files: {source: string; file: string}[] = [];
  if (!instance) files.push({source: 'daemon', file: p.logFile});
  const names = await readdir(p.instancesDir).catch(() => [] as string[]);
  for (const n of names.filter((f) => f.endsWith('.log')).sort()) {
    const source = n.slice(0, -4);
    if (!instance || source === instance) files.push({source, file: join(p.instancesDir, n)});
  }
  const out: TraceLogLine[] = [];
  for (const f of files) {
    const text = await readFile(f.file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (line.toLowerCase().includes(id)) out.push({source: f.source, line});
  }
  const ts = (l: string) => l.slice(0, 24);
  return out.sort((a, b) => (ts(a.line) < ts(b.line) ? -1 : ts(a.line) > ts(b.line) ? 1 : 0));
}
