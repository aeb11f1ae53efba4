import {usageError} from '../errors/index.js';
import {kvKeyProblem, type KvEntry} from './types.js';

/**
 * Consul's ?keys&separator=S folding: a key under `prefix` that holds S after
 * the prefix is cut just after that S, and duplicates are dropped.
 */
export function foldKeys(keys: string[], prefix: string, separator?: string): string[] {
  const out = new Set<string>();
  for (const k of keys) {
    if (!k.startsWith(prefix)) continue;
    const at = separator ? k.indexOf(separator, prefix.length) : -1;
    out.add(at === -1 ? k : k.slice(0, at + separator!.length));
  }
  return [...out].sort();
}

/** Throws a usage error when a key breaks the KV key rules (every backend). */
export function checkKvKey(key: string, allowEmpty = false): void {
  const problem = kvKeyProblem(key, allowEmpty);
  if (problem) throw usageError(`invalid KV key: ${problem}`, "keys look like 'config/app/port' (no leading '/')");
}

export function sortEntries(entries: KvEntry[]): KvEntry[] {
  return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
