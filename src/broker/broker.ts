import {GroupCoordinator, type Assignment} from './group-coordinator.js';
import {LogStore, type PendingAppend} from './log-store.js';
import {Partitioner} from './partitioner.js';
import {recordToText, textToAppend} from './record-text.js';
import type {BrokerMessage, GroupInfo, OutgoingMessage, Positions, TopicInfo} from './types.js';

export interface BrokerOptions {
  /** Partitions of a topic created by its first publish (default 3). */
  defaultPartitions?: number;
  /** Called after each group commit: messages in the batch and ms the transaction (fsync) took. */
  onFlush?(messages: number, ms: number, byTopic: Map<string, number>): void;
}

export interface FetchResult {
  messages: BrokerMessage[];
  /** Next offset to read per partition. */
  positions: Positions;
}

interface Pending {
  append: PendingAppend;
  resolve(offset: number): void;
  reject(e: Error): void;
}

/**
 * The daemon's message broker: topics of ordered partitions in a durable log,
 * publish with group commit (every publish waiting at the same moment shares
 * one transaction, so one fsync; none is acknowledged before it), fetch with
 * long polling, and consumer groups.
 */
export class Broker {
  readonly store: LogStore;
  readonly groups: GroupCoordinator;
  private readonly partitioner = new Partitioner();
  private readonly waiters = new Map<string, Set<() => void>>();
  private pending: Pending[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(dbPath: string, private readonly opts: BrokerOptions = {}) {
    this.store = new LogStore(dbPath);
    this.groups = new GroupCoordinator({
      partitionCount: (t) => this.store.partitionCount(t) ?? 0,
      committed: (g, t) => this.store.committed(g, t),
      end: (t, p) => this.store.end(t, p),
      onRebalance: (_g, t) => this.wake(t),
    });
    this.groups.start();
  }

  createTopic(name: string, partitions = this.opts.defaultPartitions ?? 3): TopicInfo {
    this.store.createTopic(name, partitions);
    return this.store.topicInfo(name)!;
  }

  topic(name: string): TopicInfo | undefined {
    return this.store.topicInfo(name);
  }

  topics(): TopicInfo[] {
    return this.store.topicNames().map((n) => this.store.topicInfo(n)!);
  }

  /** Appends messages (creating the topic when new); resolves once they are on disk. */
  async publish(topic: string, messages: OutgoingMessage[], partitions?: number): Promise<{partition: number; offset: number}[]> {
    if (this.closed) throw new Error('the broker is shutting down');
    const n = this.store.partitionCount(topic) ?? this.store.createTopic(topic, partitions ?? this.opts.defaultPartitions ?? 3);
    return Promise.all(messages.map((m) => {
      const partition = this.partitioner.pick(topic, m.key, n);
      return new Promise<{partition: number; offset: number}>((resolve, reject) => {
        this.pending.push({append: textToAppend(topic, partition, m), resolve: (offset) => resolve({partition, offset}), reject});
        this.scheduleFlush();
      });
    }));
  }

  /**
   * Appends records (bytes, as a Kafka producer sends them) to one partition
   * of an existing topic, sharing the group commit with every other publish;
   * resolves with the first record's offset once all are on disk.
   */
  async appendRecords(topic: string, partition: number, records: {key: Buffer | null; value: Buffer | null; headers: Buffer | null}[]): Promise<number> {
    if (this.closed) throw new Error('the broker is shutting down');
    const offsets = await Promise.all(records.map((r) => new Promise<number>((resolve, reject) => {
      this.pending.push({append: {topic, partition, key: r.key, value: r.value, headers: r.headers}, resolve, reject});
      this.scheduleFlush();
    })));
    return offsets[0];
  }

  /** Stores a group's committed offsets; resolves once they are on disk. */
  commitOffsets(group: string, topic: string, offsets: Positions): Promise<void> {
    this.store.commit(group, topic, offsets);
    return new Promise((resolve, reject) => this.store.sync((err) => (err && !this.closed ? reject(err) : resolve())));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes every waiting publish in one transaction (group commit), then acknowledges them. */
  flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const started = performance.now();
    let offsets: number[];
    let ends: Map<string, number>;
    try {
      ({offsets, ends} = this.store.append(batch.map((p) => p.append)));
    } catch (e) {
      for (const p of batch) p.reject(e as Error);
      return;
    }
    const byTopic = new Map<string, number>();
    for (const p of batch) byTopic.set(p.append.topic, (byTopic.get(p.append.topic) ?? 0) + 1);
    this.store.sync((err) => {
      if (err && !this.closed) {
        for (const p of batch) p.reject(err);
        return;
      }
      this.store.markDurable(ends);
      this.opts.onFlush?.(batch.length, performance.now() - started, byTopic);
      batch.forEach((p, i) => p.resolve(offsets[i]));
      for (const t of byTopic.keys()) this.wake(t);
    });
  }

  /**
   * Messages after `positions` (partitions missing from it start at `from`),
   * up to `max`, fairly across partitions; waits up to `waitMs` for the first
   * one when there is none.
   */
  async fetch(topic: string, positions: Positions, opts: {max: number; waitMs: number; from?: 'beginning' | 'end'; partitions?: number[]; signal?: AbortSignal}): Promise<FetchResult> {
    const info = this.store.topicInfo(topic);
    const all = info ? info.partitions.map((p) => p.partition) : [];
    const parts = opts.partitions ?? all;
    const pos: Positions = {};
    for (const p of parts) pos[p] = positions[p] ?? (opts.from === 'end' ? this.store.end(topic, p) : 0);
    const read = () => {
      const out: BrokerMessage[] = [];
      let budget = opts.max;
      const per = Math.max(1, Math.ceil(opts.max / Math.max(1, parts.length)));
      for (const p of parts) {
        if (budget <= 0) break;
        const msgs = this.store.read(topic, p, pos[p], Math.min(per, budget)).map((r) => recordToText(topic, r));
        if (msgs.length) pos[p] = msgs.at(-1)!.offset + 1;
        budget -= msgs.length;
        out.push(...msgs);
      }
      return out;
    };
    let messages = read();
    if (messages.length === 0 && opts.waitMs > 0 && !this.closed) {
      await this.waitFor(topic, opts.waitMs, opts.signal);
      messages = read();
    }
    return {messages, positions: pos};
  }

  /** Waits until the topic gets messages (or its groups rebalance), the timeout, or the signal. */
  waitFor(topic: string | string[], ms: number, signal?: AbortSignal): Promise<void> {
    const topics = Array.isArray(topic) ? topic : [topic];
    return new Promise((resolve) => {
      const sets = topics.map((t) => {
        let set = this.waiters.get(t);
        if (!set) this.waiters.set(t, (set = new Set()));
        return set;
      });
      const done = () => {
        clearTimeout(timer);
        for (const set of sets) set.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      for (const set of sets) set.add(done);
      signal?.addEventListener('abort', done, {once: true});
      if (this.closed) done();
    });
  }

  private wake(topic: string): void {
    for (const w of [...(this.waiters.get(topic) ?? [])]) w();
  }

  /** A group member's fetch: its assignment (with start offsets) and messages of its partitions after `positions`. */
  async groupFetch(group: string, topic: string, member: string, positions: Positions, opts: {max: number; waitMs: number; signal?: AbortSignal}): Promise<{assignment: Assignment; messages: BrokerMessage[]} | undefined> {
    const a = this.groups.heartbeat(group, topic, member);
    if (!a) return undefined;
    const start = (as: Assignment) => Object.fromEntries(as.partitions.map((p) => [p.partition, positions[p.partition] ?? p.start]));
    let r = await this.fetch(topic, start(a), {max: opts.max, waitMs: 0, partitions: a.partitions.map((p) => p.partition)});
    if (r.messages.length === 0 && opts.waitMs > 0) {
      this.groups.activity(group, topic, member, 1);
      try {
        await this.waitFor(topic, opts.waitMs, opts.signal);
      } finally {
        this.groups.activity(group, topic, member, -1);
      }
      const now = this.groups.heartbeat(group, topic, member);
      if (!now) return undefined;
      if (now.generation !== a.generation) return {assignment: now, messages: []};
      r = await this.fetch(topic, start(now), {max: opts.max, waitMs: 0, partitions: now.partitions.map((p) => p.partition)});
      return {assignment: now, messages: r.messages};
    }
    return {assignment: a, messages: r.messages};
  }

  /** Commits offsets for the partitions the member owns; returns those it refused (revoked by a rebalance). */
  commit(group: string, topic: string, member: string, offsets: Positions): {committed: Positions; rejected: number[]} | undefined {
    const owned = this.groups.owned(group, topic, member);
    if (!owned) return undefined;
    const committed: Positions = {};
    const rejected: number[] = [];
    for (const [p, o] of Object.entries(offsets)) {
      if (owned.has(Number(p))) committed[Number(p)] = o;
      else rejected.push(Number(p));
    }
    if (Object.keys(committed).length) this.store.commit(group, topic, committed);
    return {committed, rejected};
  }

  describeGroups(): GroupInfo[] {
    const seen = new Map<string, {group: string; topic: string}>();
    for (const g of [...this.store.groups(), ...this.groups.activeGroups()]) seen.set(`${g.group}\u0000${g.topic}`, g);
    return [...seen.values()].sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic)).map(({group, topic}) => {
      const committed = this.store.committed(group, topic);
      const n = this.store.partitionCount(topic) ?? 0;
      let lag = 0;
      for (let p = 0; p < n; p++) lag += Math.max(0, this.store.end(topic, p) - (committed[p] ?? 0));
      return {...this.groups.describe(group, topic), committed, lag};
    });
  }

  close(): void {
    this.closed = true;
    this.flush();
    this.groups.stop();
    for (const t of this.waiters.keys()) this.wake(t);
    this.store.close();
  }
}
