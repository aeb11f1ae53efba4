import {NAME_RE} from '../../types.js';
import type {Handler} from '../context.js';
import {ApiKey, Encoder, ErrorCode} from '../wire.js';

/** FindCoordinator v0-2: this listener coordinates every group. */
export const findCoordinator: Handler = async (r, v, ctx) => {
  r.str();
  if (v >= 1) r.readInt8();
  const e = new Encoder();
  if (v >= 1) e.writeInt32(0);
  e.writeInt16(ErrorCode.NONE);
  if (v >= 1) e.writeString(null);
  return e.writeInt32(ctx.nodeId).writeString(ctx.host).writeInt32(ctx.port);
};

/** JoinGroup v0-5: answered when the rebalance completes (every member rejoined, or the rebalance timeout). */
export const joinGroup: Handler = async (r, v, ctx, header) => {
  const groupId = r.str();
  const sessionTimeoutMs = r.readInt32();
  const rebalanceTimeoutMs = v >= 1 ? r.readInt32() : sessionTimeoutMs;
  const memberId = r.str();
  if (v >= 5) r.readString(); // group instance id: static membership is not supported, members are dynamic
  const protocolType = r.str();
  const protocols = r.readArray((d) => ({name: d.str(), metadata: d.readBytes() ?? Buffer.alloc(0)}));
  const res = NAME_RE.test(groupId)
    ? await ctx.groups.join({groupId, memberId, clientId: header.clientId ?? '', clientHost: ctx.clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocolType, protocols})
    : {error: ErrorCode.INVALID_GROUP_ID, generation: -1, protocol: '', leader: '', memberId, members: []};
  const e = new Encoder();
  if (v >= 2) e.writeInt32(0);
  e.writeInt16(res.error).writeInt32(res.generation).writeString(res.protocol).writeString(res.leader).writeString(res.memberId);
  e.writeInt32(res.members.length);
  for (const m of res.members) {
    e.writeString(m.memberId);
    if (v >= 5) e.writeString(null);
    e.writeBytes(m.metadata);
  }
  return e;
};

/** SyncGroup v0-3: the leader's assignment, handed to every member. */
export const syncGroup: Handler = async (r, v, ctx) => {
  const groupId = r.str();
  const generation = r.readInt32();
  const memberId = r.str();
  if (v >= 3) r.readString();
  const assignments = r.readArray((d) => ({memberId: d.str(), assignment: d.readBytes() ?? Buffer.alloc(0)}));
  const res = await ctx.groups.sync(groupId, generation, memberId, assignments);
  const e = new Encoder();
  if (v >= 1) e.writeInt32(0);
  return e.writeInt16(res.error).writeBytes(res.assignment);
};

export const heartbeat: Handler = async (r, v, ctx) => {
  const groupId = r.str();
  const generation = r.readInt32();
  const memberId = r.str();
  if (v >= 3) r.readString();
  const e = new Encoder();
  if (v >= 1) e.writeInt32(0);
  return e.writeInt16(ctx.groups.heartbeat(groupId, generation, memberId));
};

export const leaveGroup: Handler = async (r, v, ctx) => {
  const groupId = r.str();
  const members = v >= 3 ? r.readArray((d) => ({id: d.str(), instance: d.readString()})) : [{id: r.str(), instance: null}];
  const codes = ctx.groups.leave(groupId, members.map((m) => m.id));
  const e = new Encoder();
  if (v >= 1) e.writeInt32(0);
  if (v < 3) return e.writeInt16(codes[0]);
  e.writeInt16(ErrorCode.NONE).writeInt32(members.length);
  members.forEach((m, i) => e.writeString(m.id).writeString(m.instance).writeInt16(codes[i]));
  return e;
};

/** OffsetCommit v0-7: stored in the log store (shared with `dial sub --group`), answered once on disk. */
export const offsetCommit: Handler = async (r, v, ctx) => {
  const groupId = r.str();
  const generation = v >= 1 ? r.readInt32() : -1;
  const memberId = v >= 1 ? r.str() : '';
  if (v >= 7) r.readString();
  if (v >= 2 && v <= 4) r.int64(); // retention time
  const topics = r.readArray((d) => ({
    name: d.str(),
    partitions: d.readArray((p) => {
      const partition = p.readInt32();
      const offset = p.int64();
      if (v >= 6) p.readInt32();
      if (v === 1) p.int64();
      p.readString(); // metadata
      return {partition, offset};
    }),
  }));
  const allowed = NAME_RE.test(groupId) ? ctx.groups.canCommit(groupId, generation, memberId) : ErrorCode.INVALID_GROUP_ID;
  const codes = topics.map((t) => t.partitions.map((p) => {
    if (allowed !== ErrorCode.NONE) return allowed;
    const n = ctx.broker.store.partitionCount(t.name);
    if (n === undefined || p.partition < 0 || p.partition >= n) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    return ErrorCode.NONE;
  }));
  await Promise.all(topics.map((t, i) => {
    const offsets = Object.fromEntries(t.partitions.filter((_p, j) => codes[i][j] === ErrorCode.NONE).map((p) => [p.partition, p.offset]));
    return Object.keys(offsets).length ? ctx.broker.commitOffsets(groupId, t.name, offsets) : undefined;
  }));
  const e = new Encoder();
  if (v >= 3) e.writeInt32(0);
  e.writeInt32(topics.length);
  topics.forEach((t, i) => {
    e.writeString(t.name).writeInt32(t.partitions.length);
    t.partitions.forEach((p, j) => e.writeInt32(p.partition).writeInt16(codes[i][j]));
  });
  return e;
};

/** OffsetFetch v1-5: committed offsets (-1 where none), of the given topics or (v2+, null) of all. */
export const offsetFetch: Handler = async (r, v, ctx) => {
  const groupId = r.str();
  const requested = r.nullableArray((d) => ({name: d.str(), partitions: d.readArray((p) => p.readInt32())}));
  const topics = requested ?? ctx.broker.store.groupTopics(groupId).map((name) => ({name, partitions: Object.keys(ctx.broker.store.committed(groupId, name)).map(Number)}));
  const e = new Encoder();
  if (v >= 3) e.writeInt32(0);
  e.writeInt32(topics.length);
  for (const t of topics) {
    const committed = ctx.broker.store.committed(groupId, t.name);
    e.writeString(t.name).writeInt32(t.partitions.length);
    for (const p of t.partitions) {
      e.writeInt32(p).writeInt64(committed[p] ?? -1);
      if (v >= 5) e.writeInt32(-1);
      e.writeString('').writeInt16(ErrorCode.NONE);
    }
  }
  if (v >= 2) e.writeInt16(ErrorCode.NONE);
  return e;
};

export const describeGroups: Handler = async (r, v, ctx) => {
  const ids = r.readArray((d) => d.str());
  if (v >= 3) r.readBoolean();
  const e = new Encoder();
  if (v >= 1) e.writeInt32(0);
  e.writeInt32(ids.length);
  for (const id of ids) {
    const g = ctx.groups.describe(id);
    const state = g?.state ?? (ctx.broker.store.groupTopics(id).length ? 'Empty' : 'Dead');
    e.writeInt16(ErrorCode.NONE).writeString(id).writeString(state).writeString(g?.protocolType ?? '').writeString(g?.protocol ?? '');
    e.writeInt32(g?.members.length ?? 0);
    for (const m of g?.members ?? []) {
      e.writeString(m.memberId);
      if (v >= 4) e.writeString(null);
      e.writeString(m.clientId).writeString(m.clientHost).writeBytes(m.metadata).writeBytes(m.assignment);
    }
    if (v >= 3) e.writeInt32(-2147483648);
  }
  return e;
};

/** ListGroups v0-2: groups with members here, and groups with committed offsets (those of `dial sub --group` too). */
export const listGroups: Handler = async (_r, v, ctx) => {
  const groups = new Map<string, string>();
  for (const g of ctx.broker.store.groups()) groups.set(g.group, 'consumer');
  for (const g of ctx.groups.list()) groups.set(g.groupId, g.protocolType);
  const e = new Encoder();
  if (v >= 1) e.writeInt32(0);
  e.writeInt16(ErrorCode.NONE).writeInt32(groups.size);
  for (const [id, type] of [...groups].sort()) e.writeString(id).writeString(type);
  return e;
};

export const GROUP_HANDLERS = {
  [ApiKey.FindCoordinator]: findCoordinator,
  [ApiKey.JoinGroup]: joinGroup,
  [ApiKey.SyncGroup]: syncGroup,
  [ApiKey.Heartbeat]: heartbeat,
  [ApiKey.LeaveGroup]: leaveGroup,
  [ApiKey.OffsetCommit]: offsetCommit,
  [ApiKey.OffsetFetch]: offsetFetch,
  [ApiKey.DescribeGroups]: describeGroups,
  [ApiKey.ListGroups]: listGroups,
};
