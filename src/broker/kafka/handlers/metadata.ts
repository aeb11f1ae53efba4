import {EVENTS_TOPIC, NAME_RE} from '../../types.js';
import type {Handler, KafkaContext} from '../context.js';
import {SUPPORTED_VERSIONS} from '../versions.js';
import {ApiKey, Encoder, ErrorCode} from '../wire.js';

/** ApiVersions v0-2: the API keys and versions the listener serves. */
export const apiVersions: Handler = async (_r, v) => apiVersionsBody(v, ErrorCode.NONE);

export function apiVersionsBody(v: number, error: number): Encoder {
  const e = new Encoder().writeInt16(error);
  const keys = Object.entries(SUPPORTED_VERSIONS);
  e.writeInt32(keys.length);
  for (const [key, [min, max]] of keys) e.writeInt16(Number(key)).writeInt16(min).writeInt16(max);
  if (v >= 1) e.writeInt32(0);
  return e;
}

/** Whether a topic name is valid; creates the topic with the default partitions when asked and missing. */
export function topicError(ctx: KafkaContext, name: string, create: boolean): number {
  if (!NAME_RE.test(name)) return ErrorCode.INVALID_TOPIC_EXCEPTION;
  if (ctx.broker.store.partitionCount(name) !== undefined) return ErrorCode.NONE;
  if (!create) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  ctx.broker.createTopic(name, ctx.defaultPartitions);
  return ErrorCode.NONE;
}

/** Metadata v0-6: one broker (this listener), leader of every partition; auto-creates topics as `dial pub` does. */
export const metadata: Handler = async (r, v, ctx) => {
  const requested = v === 0 ? r.readArray((d) => d.str()) : r.nullableArray((d) => d.str());
  const autoCreate = v >= 4 ? r.readBoolean() : true;
  const names = requested === null || (v === 0 && requested.length === 0) ? ctx.broker.store.topicNames() : requested;
  const e = new Encoder();
  if (v >= 3) e.writeInt32(0);
  e.writeInt32(1).writeInt32(ctx.nodeId).writeString(ctx.host).writeInt32(ctx.port);
  if (v >= 1) e.writeString(null);
  if (v >= 2) e.writeString(ctx.clusterId);
  if (v >= 1) e.writeInt32(ctx.nodeId);
  e.writeInt32(names.length);
  for (const name of names) {
    const error = topicError(ctx, name, autoCreate);
    const n = error === ErrorCode.NONE ? ctx.broker.store.partitionCount(name) ?? 0 : 0;
    e.writeInt16(error).writeString(name);
    if (v >= 1) e.writeBoolean(name === EVENTS_TOPIC);
    e.writeInt32(n);
    for (let p = 0; p < n; p++) {
      e.writeInt16(ErrorCode.NONE).writeInt32(p).writeInt32(ctx.nodeId);
      e.writeInt32(1).writeInt32(ctx.nodeId); // replicas
      e.writeInt32(1).writeInt32(ctx.nodeId); // in-sync replicas
      if (v >= 5) e.writeInt32(0); // offline replicas
    }
  }
  return e;
};

const MAX_PARTITIONS = 64;

/** CreateTopics v0-4: replication factor 1 (or -1, the default); partitions 1..64 (-1: the default). */
export const createTopics: Handler = async (r, v, ctx) => {
  const topics = r.readArray((d) => {
    const name = d.str();
    const partitions = d.readInt32();
    const replication = d.readInt16();
    const assignments = d.readArray((a) => [a.readInt32(), a.readArray((b) => b.readInt32())]);
    d.readArray((c) => [c.str(), c.readString()]);
    return {name, partitions, replication, assignments: assignments.length};
  });
  r.readInt32(); // timeout
  const validateOnly = v >= 1 ? r.readBoolean() : false;
  const e = new Encoder();
  if (v >= 2) e.writeInt32(0);
  e.writeInt32(topics.length);
  for (const t of topics) {
    let error: number = ErrorCode.NONE;
    let message: string | null = null;
    const partitions = t.partitions === -1 ? ctx.defaultPartitions : t.partitions;
    if (!NAME_RE.test(t.name)) [error, message] = [ErrorCode.INVALID_TOPIC_EXCEPTION, `invalid topic name '${t.name}': use 1-200 of A-Z a-z 0-9 . _ -`];
    else if (ctx.broker.store.partitionCount(t.name) !== undefined) [error, message] = [ErrorCode.TOPIC_ALREADY_EXISTS, `topic '${t.name}' already exists`];
    else if (t.replication !== 1 && t.replication !== -1) [error, message] = [ErrorCode.INVALID_REPLICATION_FACTOR, 'the local cluster has one broker: replication factor 1'];
    else if (t.assignments > 0 || partitions < 1 || partitions > MAX_PARTITIONS) [error, message] = [ErrorCode.INVALID_PARTITIONS, `partitions must be 1..${MAX_PARTITIONS} (no manual assignment)`];
    else if (!validateOnly) ctx.broker.createTopic(t.name, partitions);
    e.writeString(t.name).writeInt16(error);
    if (v >= 1) e.writeString(message);
  }
  return e;
};

export const METADATA_HANDLERS = {
  [ApiKey.ApiVersions]: apiVersions,
  [ApiKey.Metadata]: metadata,
  [ApiKey.CreateTopics]: createTopics,
};
