import {usageError} from '../errors/index.js';
import {COORDINATOR, deltasOf, participantIds, parseTransfers} from './bank.js';
import {parseCrash} from './crash-points.js';
import {NO_FAULTS, parseDelay, parseDrop, parsePartition, type Faults} from './faults.js';
import type {RunRequest} from './real/wire.js';
import type {Protocol} from './types.js';

export interface RunFlags {
  protocol: string;
  participants: number;
  transfer: string;
  voteNo?: string[];
  crash?: string[];
  drop?: string[];
  delay?: string[];
  partition?: string;
  loss?: number;
  seed?: number;
  timeoutMs: number;
  maxTimeMs: number;
}

/** Checks and parses the flags of `dial txn run` (usage errors name the flag). */
export function buildRunRequest(f: RunFlags): RunRequest {
  if (f.protocol !== '2pc' && f.protocol !== '3pc') throw usageError(`--protocol: '${f.protocol}' is not 2pc or 3pc`);
  if (!Number.isInteger(f.participants) || f.participants < 2 || f.participants > 8) {
    throw usageError(`--participants: ${f.participants} is out of range`, 'use 2 to 8 participants');
  }
  if (!(f.timeoutMs > 0)) throw usageError(`--timeout: must be more than 0`, 'T is how long the protocol waits for votes and acks, e.g. 500ms');
  if (!(f.maxTimeMs > 0)) throw usageError(`--max-time: must be more than 0`, 'how long the run may take, e.g. 10s');
  const ps = participantIds(f.participants);
  const processes = [COORDINATOR, ...ps];
  const voteNo = (f.voteNo ?? []).map((p) => {
    if (!ps.includes(p)) throw usageError(`--vote-no: no participant '${p}'`, `the participants are ${ps.join(', ')}`);
    return p;
  });
  if (f.loss !== undefined && !(f.loss >= 0 && f.loss <= 1)) throw usageError(`--loss: ${f.loss} is not a probability`, 'use a number from 0 to 1, e.g. 0.2');
  const faults: Faults = {
    ...NO_FAULTS,
    crash: (f.crash ?? []).map((c) => parseCrash(c, ps)),
    voteNo,
    drop: (f.drop ?? []).map((d) => parseDrop(d, processes)),
    delay: (f.delay ?? []).map((d) => parseDelay(d, processes)),
    ...(f.partition ? {partition: parsePartition(f.partition, ps)} : {}),
    ...(f.loss ? {loss: f.loss} : {}),
  };
  for (const c of faults.crash) {
    if (c.point === 'partial-precommit' || c.point === 'after-precommit') {
      if (f.protocol !== '3pc') throw usageError(`--crash: ${c.point} exists only in 3PC`, 'add --protocol 3pc');
    }
  }
  const transfers = parseTransfers(f.transfer, ps);
  return {
    protocol: f.protocol as Protocol,
    participants: f.participants,
    deltas: deltasOf(transfers, ps),
    transfer: f.transfer,
    faults,
    seed: f.seed ?? 1,
    timeoutMs: f.timeoutMs,
    maxTimeMs: f.maxTimeMs,
  };
}
