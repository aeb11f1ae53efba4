import type BetterSqlite3 from 'better-sqlite3';
import {openWalDatabase, type WalSync} from '../util/wal-sync.js';
import type {BrokerMessage, PartitionInfo, Positions, TopicInfo} from './types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, partitions INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
  topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
  key TEXT, value TEXT NOT NULL, headers TEXT, timestamp INTEGER NOT NULL,
  PRIMARY KEY (topic, partition, offset)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_offsets (
  grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (grp, topic, partition)) WITHOUT ROWID;
`;

interface MessageRow {partition: number; offset: number; key: string | null; value: string; headers: string | null; timestamp: number}

/** A message ready to append: partition chosen, offset not yet. */
export interface PendingAppend {
  topic: string;
  partition: number;
  key: string | null;
  value: string;
  headers?: Record<string, string>;
}

/**
 * The broker's durable log in SQLite (WAL): one ordered log per topic
 * partition, and committed offsets per consumer group. An append batch is one
 * transaction; the broker acknowledges it after sync(), an fdatasync of the
 * WAL on libuv's thread pool (group commit without blocking the daemon's
 * event loop, as the registry store does); nothing is acknowledged before it
 * is on disk.
 */
export class LogStore {
  readonly db: BetterSqlite3.Database;
  private readonly ends = new Map<string, number>();
  private readonly topics = new Map<string, {partitions: number; createdAt: string}>();
  private readonly wal: WalSync;

  constructor(path: string) {
    ({db: this.db, wal: this.wal} = openWalDatabase(path, SCHEMA));
    for (const t of this.db.prepare('SELECT name, partitions, created_at FROM topics').all() as {name: string; partitions: number; created_at: string}[]) {
      this.topics.set(t.name, {partitions: t.partitions, createdAt: t.created_at});
    }
    const ends = this.db.prepare('SELECT topic, partition, MAX(offset) + 1 AS end FROM messages GROUP BY topic, partition').all() as {topic: string; partition: number; end: number}[];
    for (const e of ends) this.ends.set(`${e.topic}/${e.partition}`, e.end);
  }

  /** Creates a topic (no-op when it exists); returns its partition count. */
  createTopic(name: string, partitions: number): number {
    const existing = this.topics.get(name);
    if (existing) return existing.partitions;
    const createdAt = new Date().toISOString();
    this.db.prepare('INSERT INTO topics (name, partitions, created_at) VALUES (?, ?, ?)').run(name, partitions, createdAt);
    this.topics.set(name, {partitions, createdAt});
    return partitions;
  }

  partitionCount(topic: string): number | undefined {
    return this.topics.get(topic)?.partitions;
  }

  topicNames(): string[] {
    return [...this.topics.keys()].sort();
  }

  end(topic: string, partition: number): number {
    return this.ends.get(`${topic}/${partition}`) ?? 0;
  }

  topicInfo(name: string): TopicInfo | undefined {
    const t = this.topics.get(name);
    if (!t) return undefined;
    const partitions: PartitionInfo[] = [];
    for (let p = 0; p < t.partitions; p++) partitions.push({partition: p, start: 0, end: this.end(name, p)});
    return {name, partitions, createdAt: t.createdAt};
  }

  /** Appends a batch in one transaction (one fsync); returns each message's offset, in order. */
  append(batch: PendingAppend[], timestamp = Date.now()): number[] {
    const insert = this.db.prepare('INSERT INTO messages (topic, partition, offset, key, value, headers, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const next = new Map<string, number>();
    const offsets = batch.map((m) => {
      const k = `${m.topic}/${m.partition}`;
      const o = next.get(k) ?? this.end(m.topic, m.partition);
      next.set(k, o + 1);
      return o;
    });
    this.db.transaction(() => {
      batch.forEach((m, i) => insert.run(m.topic, m.partition, offsets[i], m.key, m.value, m.headers ? JSON.stringify(m.headers) : null, timestamp));
    })();
    for (const [k, end] of next) this.ends.set(k, end);
    return offsets;
  }

  /** Up to `max` messages of one partition from `offset` on, in order. */
  read(topic: string, partition: number, offset: number, max: number): BrokerMessage[] {
    const rows = this.db.prepare(
      'SELECT partition, offset, key, value, headers, timestamp FROM messages WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?',
    ).all(topic, partition, offset, max) as MessageRow[];
    return rows.map((r) => ({
      topic, partition: r.partition, offset: r.offset, key: r.key, value: r.value,
      ...(r.headers ? {headers: JSON.parse(r.headers) as Record<string, string>} : {}), timestamp: r.timestamp,
    }));
  }

  committed(group: string, topic: string): Positions {
    const rows = this.db.prepare('SELECT partition, offset FROM group_offsets WHERE grp = ? AND topic = ?').all(group, topic) as {partition: number; offset: number}[];
    return Object.fromEntries(rows.map((r) => [r.partition, r.offset]));
  }

  /** Stores a group's committed offsets (durable before it returns). */
  commit(group: string, topic: string, offsets: Positions): void {
    const upsert = this.db.prepare(
      'INSERT INTO group_offsets (grp, topic, partition, offset, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (grp, topic, partition) DO UPDATE SET offset = excluded.offset, updated_at = excluded.updated_at',
    );
    const now = Date.now();
    this.db.transaction(() => {
      for (const [p, o] of Object.entries(offsets)) upsert.run(group, topic, Number(p), o, now);
    })();
  }

  /** Every (group, topic) with committed offsets. */
  groups(): {group: string; topic: string}[] {
    return this.db.prepare('SELECT DISTINCT grp AS "group", topic FROM group_offsets ORDER BY grp, topic').all() as {group: string; topic: string}[];
  }

  /** Calls back once everything appended so far is on disk. */
  sync(done: (err: Error | null) => void): void {
    this.wal.after(done);
  }

  close(): void {
    this.wal.close();
    this.db.close();
  }
}
