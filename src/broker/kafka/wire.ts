import Decoder from 'kafkajs/src/protocol/decoder.js';
import Encoder from 'kafkajs/src/protocol/encoder.js';

export {Encoder};

/** A request that cannot be decoded: the connection that sent it is closed. */
export class MalformedRequest extends Error {}

const MAX_ARRAY = 1_000_000;

/**
 * kafkajs's Decoder with bounds checks: a length that runs past the frame, or
 * an absurd array count, is a MalformedRequest instead of a short slice.
 */
export class Reader extends Decoder {
  private need(n: number): void {
    if (n < 0 || this.offset + n > this.buffer.length) throw new MalformedRequest(`field runs past the end of the frame (${n} bytes at ${this.offset} of ${this.buffer.length})`);
  }

  override readInt8(): number { this.need(1); return super.readInt8(); }
  override readInt16(): number { this.need(2); return super.readInt16(); }
  override readInt32(): number { this.need(4); return super.readInt32(); }
  override readInt64() { this.need(8); return super.readInt64(); }
  override readVarInt(): number {
    if (this.offset >= this.buffer.length) throw new MalformedRequest('varint runs past the end of the frame');
    return super.readVarInt();
  }

  /** An int64 as a JS number (offsets and timestamps fit in 2^53). */
  int64(): number {
    return Number(this.readInt64().toString());
  }

  override readString(): string | null {
    const at = this.offset;
    const n = this.readInt16();
    this.offset = at;
    if (n > 0) this.need(2 + n);
    return super.readString();
  }

  /** A non-null string ('' for null). */
  str(): string {
    return this.readString() ?? '';
  }

  override readBytes(length?: number): Buffer | null {
    const n = length ?? this.readInt32();
    if (n === -1) return null;
    this.need(n);
    return super.readBytes(n);
  }

  override readVarIntBytes(): Buffer | null {
    const n = this.readVarInt();
    if (n === -1) return null;
    this.need(n);
    return super.readBytes(n);
  }

  override readArray<T>(reader: (d: Reader) => T): T[] {
    const n = this.readInt32();
    if (n === -1) return [];
    if (n < -1 || n > MAX_ARRAY || n > this.buffer.length - this.offset) throw new MalformedRequest(`array of ${n} elements`);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = reader(this);
    return out;
  }

  /** An array that may be null (-1): null then. */
  nullableArray<T>(reader: (d: Reader) => T): T[] | null {
    const at = this.offset;
    if (this.readInt32() === -1) return null;
    this.offset = at;
    return this.readArray(reader);
  }

  remaining(): number {
    return this.buffer.length - this.offset;
  }
}

/** Kafka's error codes (the ones the listener answers with). */
export const ErrorCode = {
  UNKNOWN_SERVER_ERROR: -1,
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  REQUEST_TIMED_OUT: 7,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  INVALID_TOPIC_EXCEPTION: 17,
  INVALID_REQUIRED_ACKS: 21,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  TOPIC_AUTHORIZATION_FAILED: 29,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REQUEST: 42,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
} as const;

/** API keys of the requests the listener serves. */
export const ApiKey = {
  Produce: 0, Fetch: 1, ListOffsets: 2, Metadata: 3, OffsetCommit: 8, OffsetFetch: 9, FindCoordinator: 10,
  JoinGroup: 11, Heartbeat: 12, LeaveGroup: 13, SyncGroup: 14, DescribeGroups: 15, ListGroups: 16,
  ApiVersions: 18, CreateTopics: 19,
} as const;

/** A decoded request header (v1: api key, version, correlation id, client id). */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}
