/** One message as the HTTP API delivers it: text (bytes that are not UTF-8 come as base64, named in `binary`). */
export interface BrokerMessage {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string;
  headers?: Record<string, string>;
  /** ms since epoch when the broker appended it. */
  timestamp: number;
  /** Fields whose bytes are not UTF-8 and are given in base64: 'key', 'value', 'headers.NAME'. */
  binary?: string[];
  /** A Kafka record with a null value (a tombstone): value is ''. */
  nullValue?: true;
}

/** One record as the log stores it: bytes, as Kafka clients send and read them. */
export interface StoredRecord {
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  /** The header array in Kafka's record encoding (varint count, then name/value pairs), or null. */
  headers: Buffer | null;
  timestamp: number;
}

/** A record header: a name and bytes (null allowed, as in Kafka). */
export type Header = [name: string, value: Buffer | null];

/** What a producer sends. */
export interface OutgoingMessage {
  key?: string | null;
  value: string;
  headers?: Record<string, string>;
}

export interface PartitionInfo {
  partition: number;
  /** First offset still stored (0: nothing is ever deleted). */
  start: number;
  /** The offset the next message will get (the log's end). */
  end: number;
}

export interface TopicInfo {
  name: string;
  partitions: PartitionInfo[];
  createdAt: string;
}

/** Where each partition's consumer stands: partition -> next offset to read. */
export type Positions = Record<number, number>;

export interface GroupMemberInfo {
  id: string;
  partitions: number[];
  /** ms since the member last fetched. */
  idleMs: number;
}

export interface GroupInfo {
  group: string;
  topic: string;
  generation: number;
  members: GroupMemberInfo[];
  /** Committed offset per partition (the next message the group will read). */
  committed: Positions;
  /** Messages not yet committed, summed over partitions. */
  lag: number;
}

/** Topic and group names: Kafka's alphabet. */
export const NAME_RE = /^[A-Za-z0-9._-]{1,200}$/;

/** The topic the daemon publishes its own event bus to. */
export const EVENTS_TOPIC = 'dial.events';
