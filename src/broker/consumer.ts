import type {BrokerClient} from './client.js';
import type {BrokerMessage, Positions} from './types.js';

export interface ConsumeOptions {
  topic: string;
  /** Consume as a member of this group (shared partitions, committed offsets). */
  group?: string;
  /** Without committed offsets (or without a group): start at the beginning instead of the end. */
  fromBeginning?: boolean;
  /** Keep waiting for new messages; otherwise stop once caught up. */
  follow?: boolean;
  /** Stop after this many messages. */
  maxMessages?: number;
  /** Do not commit offsets (the group delivers these messages again: at-least-once). */
  noCommit?: boolean;
  sessionTimeoutMs?: number;
  /** Long-poll wait per fetch when following (default 1s). */
  pollMs?: number;
  signal?: AbortSignal;
  /** Handles one message; it is committed only after this returns. */
  onMessage(m: BrokerMessage): void | Promise<void>;
  /** Group membership news: joined, assignment changed, commit refused, left. */
  onEvent?(e: ConsumeEvent): void;
}

export type ConsumeEvent =
  | {type: 'assigned'; member: string; generation: number; partitions: number[]}
  | {type: 'rejected'; partitions: number[]}
  | {type: 'rejoin'; reason: string}
  | {type: 'caught-up'};

/**
 * Reads a topic: alone (from the beginning or the end, every partition), or
 * as a group member (its assigned partitions, from the committed offsets,
 * committing after each handled batch: at-least-once). Returns the number of
 * messages handled. A group member leaves its group when it stops.
 */
export async function consume(client: BrokerClient, opts: ConsumeOptions): Promise<number> {
  const topic = await client.topic(opts.topic);
  if (!topic && !opts.follow) return 0;
  const max = opts.maxMessages ?? Infinity;
  const waitMs = opts.follow ? (opts.pollMs ?? 1000) : 0;
  let handled = 0;
  const done = () => handled >= max || Boolean(opts.signal?.aborted);
  if (!opts.group) {
    let positions: Positions = {};
    const from = opts.fromBeginning ? 'beginning' : 'end';
    if (!topic) {
      // follow a topic that does not exist yet: wait for its first publish
      while (!done() && !(await client.topic(opts.topic))) await sleep(waitMs, opts.signal);
      if (done()) return handled;
    }
    while (!done()) {
      const r = await client.fetch(opts.topic, {positions, from, max: Math.min(500, max - handled), waitMs}, opts.signal).catch(abortIsEnd(opts.signal));
      if (!r) break;
      positions = r.positions;
      for (const m of r.messages) {
        await opts.onMessage(m);
        if (++handled >= max) break;
      }
      if (r.messages.length === 0 && !opts.follow) break;
    }
    return handled;
  }
  return consumeInGroup(client, opts, opts.group, waitMs, max);
}

async function consumeInGroup(client: BrokerClient, opts: ConsumeOptions, group: string, waitMs: number, max: number): Promise<number> {
  const join = async () => {
    const a = await client.join(group, opts.topic, {sessionTimeoutMs: opts.sessionTimeoutMs ?? 10_000, fromBeginning: Boolean(opts.fromBeginning)});
    opts.onEvent?.({type: 'assigned', member: a.member, generation: a.generation, partitions: a.partitions.map((p) => p.partition)});
    return a;
  };
  let a = await join();
  let generation = a.generation;
  let positions: Positions = Object.fromEntries(a.partitions.map((p) => [p.partition, p.start]));
  let handled = 0;
  try {
    while (handled < max && !opts.signal?.aborted) {
      const r = await client.groupFetch(group, {topic: opts.topic, member: a.member, positions, max: Math.min(500, max - handled), waitMs}, opts.signal)
        .catch(abortIsEnd(opts.signal));
      if (r === null) break;
      if (r === undefined) {
        opts.onEvent?.({type: 'rejoin', reason: 'the coordinator dropped this member (session expired)'});
        a = await join();
        generation = a.generation;
        positions = Object.fromEntries(a.partitions.map((p) => [p.partition, p.start]));
        continue;
      }
      if (r.assignment.generation !== generation) {
        generation = r.assignment.generation;
        positions = Object.fromEntries(r.assignment.partitions.map((p) => [p.partition, positions[p.partition] ?? p.start]));
        opts.onEvent?.({type: 'assigned', member: a.member, generation, partitions: r.assignment.partitions.map((p) => p.partition)});
      }
      const batch: Positions = {};
      for (const m of r.messages) {
        if (positions[m.partition] === undefined) continue;
        await opts.onMessage(m);
        positions[m.partition] = m.offset + 1;
        batch[m.partition] = m.offset + 1;
        if (++handled >= max) break;
      }
      if (Object.keys(batch).length && !opts.noCommit) {
        const c = await client.commit(group, {topic: opts.topic, member: a.member, offsets: batch});
        if (c?.rejected.length) opts.onEvent?.({type: 'rejected', partitions: c.rejected});
      }
      if (r.messages.length === 0 && !opts.follow) {
        opts.onEvent?.({type: 'caught-up'});
        break;
      }
    }
  } finally {
    await client.leave(group, opts.topic, a.member).catch(() => undefined);
  }
  return handled;
}

/** Turns an abort (Ctrl-C) during a request into null (the end); rethrows other errors. */
function abortIsEnd(signal?: AbortSignal) {
  return (e: unknown): null => {
    if (signal?.aborted) return null;
    throw e;
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, Math.max(ms, 200));
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, {once: true});
  });
}
