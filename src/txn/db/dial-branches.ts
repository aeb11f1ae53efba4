import {existsSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {FileLog, readLogFile} from '../real/file-log.js';
import type {Outcome} from '../types.js';

/**
 * dial's own participants in a database run live in the coordinator's
 * process (txn-db/pN.log), so a coordinator crash leaves them in doubt too.
 * These read their logs for undecided transactions and write the decision
 * recovery takes for them.
 */
export function undecidedDialTxns(dir: string): {pid: string; txn: string; file: string}[] {
  if (!existsSync(dir)) return [];
  const out: {pid: string; txn: string; file: string}[] = [];
  for (const f of readdirSync(dir).filter((x) => /^p\d{1,2}\.log$/.test(x)).sort()) {
    const file = join(dir, f);
    const state = new Map<string, string>();
    for (const r of readLogFile(file).records) {
      if (r.type === 'PREPARED' && !state.has(r.txn)) state.set(r.txn, 'READY');
      else if (r.type === 'COMMIT' || r.type === 'ABORT') state.set(r.txn, r.type);
    }
    for (const [txn, s] of state) if (s === 'READY') out.push({pid: f.slice(0, -4), txn, file});
  }
  return out;
}

/** Writes the decision (forced) into a dial participant's log: on its next start it applies it. */
export async function decideDialTxn(file: string, txn: string, outcome: Outcome): Promise<void> {
  const log = new FileLog(file);
  await log.append(outcome === 'commit' ? {type: 'COMMIT', txn} : {type: 'ABORT', txn}, true);
  await log.close();
}
