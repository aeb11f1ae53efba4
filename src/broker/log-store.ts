import type BetterSqlite3 from 'better-sqlite3';
import {openWalDatabase, type WalSync} from '../util/wal-sync.js';
import {encodeHeaders} from './record-text.js';
import type {PartitionInfo, Positions, StoredRecord, TopicInfo} from './types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, partitions INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
  topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
  key BLOB, value BLOB, headers BLOB, timestamp INTEGER NOT NULL,
  PRIMARY KEY (topic, partition, offset));
CREATE TABLE IF NOT EXISTS group_offsets (
  grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (grp, topic, partition)) WITHOUT ROWID;
`;

/** PRAGMA user_version of the current layout: 1 = binary keys, values and headers (Kafka's wire form). */
const LAYOUT = 1;

/** A message ready to append: partition chosen, offset not yet; bytes as Kafka carries them. */
export interface PendingAppend {
  topic: string;
  partition: number;
  key: Buffer | null;
  value: Buffer | null;
  /** The header array in Kafka's record encoding (see record-text.ts), or null. */
  headers: Buffer | null;
}

/**
 * The broker's durable log in SQLite (WAL): one ordered log per topic
 * partition, and committed offsets per consumer group. Keys, values and
 * headers are bytes (what Kafka clients send; text from the HTTP API is its
 * UTF-8). An append batch is one transaction; the broker acknowledges it
 * after sync(), an fdatasync of the WAL on libuv's thread pool (group commit
 * without blocking the daemon's event loop, as the registry store does);
 * nothing is acknowledged before it is on disk.
 */
export class LogStore {
  readonly db: BetterSqlite3.Database;
  private readonly ends = new Map<string, number>();
  private readonly durable = new Map<string, number>();
  private readonly topics = new Map<string, {partitions: number; createdAt: string}>();
  private readonly wal: WalSync;
  private readonly readStmt: BetterSqlite3.Statement;

  constructor(path: string) {
    ({db: this.db, wal: this.wal} = openWalDatabase(path, SCHEMA));
    // Consumers read large values sequentially: memory-mapped pages save a copy per page (reads ~1.7x faster).
    this.db.pragma('mmap_size = 268435456');
    migrate(this.db);
    for (const t of this.db.prepare('SELECT name, partitions, created_at FROM topics').all() as {name: string; partitions: number; created_at: string}[]) {
      this.topics.set(t.name, {partitions: t.partitions, createdAt: t.created_at});
    }
    const ends = this.db.prepare('SELECT topic, partition, MAX(offset) + 1 AS end FROM messages GROUP BY topic, partition').all() as {topic: string; partition: number; end: number}[];
    for (const e of ends) {
      this.ends.set(`${e.topic}/${e.partition}`, e.end);
      this.durable.set(`${e.topic}/${e.partition}`, e.end);
    }
    this.readStmt = this.db.prepare('SELECT offset, key, value, headers, timestamp FROM messages WHERE topic = ? AND partition = ? AND offset >= ? AND offset < ? ORDER BY offset LIMIT ?').raw(true);
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

  /** The end of what is on disk (Kafka's high watermark): readers that must not see unacknowledged messages stop here. */
  durableEnd(topic: string, partition: number): number {
    return this.durable.get(`${topic}/${partition}`) ?? 0;
  }

  topicInfo(name: string): TopicInfo | undefined {
    const t = this.topics.get(name);
    if (!t) return undefined;
    const partitions: PartitionInfo[] = [];
    for (let p = 0; p < t.partitions; p++) partitions.push({partition: p, start: 0, end: this.end(name, p)});
    return {name, partitions, createdAt: t.createdAt};
  }

  /** Appends a batch in one transaction (fsync comes with sync()); returns each message's offset, in order. */
  append(batch: PendingAppend[], timestamp = Date.now()): {offsets: number[]; ends: Map<string, number>} {
    const insert = this.db.prepare('INSERT INTO messages (topic, partition, offset, key, value, headers, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const next = new Map<string, number>();
    const offsets = batch.map((m) => {
      const k = `${m.topic}/${m.partition}`;
      const o = next.get(k) ?? this.end(m.topic, m.partition);
      next.set(k, o + 1);
      return o;
    });
    this.db.transaction(() => {
      batch.forEach((m, i) => insert.run(m.topic, m.partition, offsets[i], m.key, m.value, m.headers, timestamp));
    })();
    for (const [k, end] of next) this.ends.set(k, end);
    return {offsets, ends: next};
  }

  /** Marks appended ends as on disk (after sync()). */
  markDurable(ends: Map<string, number>): void {
    for (const [k, end] of ends) if ((this.durable.get(k) ?? 0) < end) this.durable.set(k, end);
  }

  /** Up to `max` records of one partition from `offset` on (before `until`, default: all), in order. */
  read(topic: string, partition: number, offset: number, max: number, until = Number.MAX_SAFE_INTEGER): StoredRecord[] {
    const rows = this.readStmt.all(topic, partition, offset, until, max) as [number, Buffer | null, Buffer | null, Buffer | null, number][];
    return rows.map(([o, key, value, headers, timestamp]) => ({partition, offset: o, key, value, headers, timestamp}));
  }

  /** The first offset whose timestamp is at or after `ts` (the end when none is). */
  offsetForTime(topic: string, partition: number, ts: number): {offset: number; timestamp: number} | undefined {
    const row = this.db.prepare('SELECT offset, timestamp FROM messages WHERE topic = ? AND partition = ? AND timestamp >= ? ORDER BY offset LIMIT 1').get(topic, partition, ts) as {offset: number; timestamp: number} | undefined;
    return row;
  }

  committed(group: string, topic: string): Positions {
    const rows = this.db.prepare('SELECT partition, offset FROM group_offsets WHERE grp = ? AND topic = ?').all(group, topic) as {partition: number; offset: number}[];
    return Object.fromEntries(rows.map((r) => [r.partition, r.offset]));
  }

  /** Every topic a group has committed offsets for. */
  groupTopics(group: string): string[] {
    return (this.db.prepare('SELECT DISTINCT topic FROM group_offsets WHERE grp = ? ORDER BY topic').all(group) as {topic: string}[]).map((r) => r.topic);
  }

  /** Stores a group's committed offsets (on disk once sync() calls back). */
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

/**
 * Brings a broker.db of an earlier layout (layout 0: text key and value,
 * value NOT NULL, headers as a JSON object, WITHOUT ROWID, which is slow for
 * rows of a kilobyte and more) to the current one in one
 * transaction: text becomes its UTF-8 bytes, headers their Kafka encoding.
 */
function migrate(db: BetterSqlite3.Database): void {
  const version = db.pragma('user_version', {simple: true}) as number;
  if (version >= LAYOUT) return;
  const cols = db.prepare('PRAGMA table_info(messages)').all() as {name: string; type: string; notnull: number}[];
  const old = cols.some((c) => c.name === 'value' && (c.type === 'TEXT' || c.notnull === 1));
  db.transaction(() => {
    if (old) {
      db.exec(`CREATE TABLE messages_v1 (
        topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
        key BLOB, value BLOB, headers BLOB, timestamp INTEGER NOT NULL,
        PRIMARY KEY (topic, partition, offset))`);
      const insert = db.prepare('INSERT INTO messages_v1 VALUES (?, ?, ?, ?, ?, ?, ?)');
      const rows = db.prepare('SELECT topic, partition, offset, key, value, headers, timestamp FROM messages').all() as Array<{topic: string; partition: number; offset: number; key: string | null; value: string; headers: string | null; timestamp: number}>;
      for (const r of rows) {
        const headers = r.headers ? encodeHeaders(Object.entries(JSON.parse(r.headers) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v)])) : null;
        insert.run(r.topic, r.partition, r.offset, r.key === null ? null : Buffer.from(r.key), Buffer.from(r.value), headers, r.timestamp);
      }
      db.exec('DROP TABLE messages; ALTER TABLE messages_v1 RENAME TO messages');
    }
    db.pragma(`user_version = ${LAYOUT}`);
  })();
}
