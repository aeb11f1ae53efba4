import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

/**
 * The databases this DIAL_HOME's coordinator has used (URLs without
 * passwords, in txn-db/participants.json), so `txn status` and `txn
 * recover` know where to look for its branches without being told again.
 */
export function knownDatabases(dir: string): string[] {
  const file = join(dir, 'participants.json');
  if (!existsSync(file)) return [];
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function remember(dir: string, urls: string[]): void {
  const known = knownDatabases(dir);
  const next = [...known, ...urls.filter((u) => !known.includes(u))];
  if (next.length !== known.length) writeFileSync(join(dir, 'participants.json'), JSON.stringify(next, null, 2) + '\n', {mode: 0o600});
}
