import {DialError, usageError} from '../../errors/index.js';
import {KafkaConnection, KafkaResponseError} from '../kafka/connection.js';
import {decodeFetchedRecords, parseHeaders, type AbortedTransaction, type FetchedRecord} from '../kafka/records.js';
import {ApiKey, ErrorCode, type Reader} from '../kafka/wire.js';
import {brokerError, connectError, lostError} from './errors.js';
import type {BrokerUrl, ConnectOptions, ReceivedMessage, SubscribeOptions} from './types.js';

const METADATA_V = 4;
const LIST_OFFSETS_V = 2;
const FETCH_V = 4;
const READ_COMMITTED = 1;
const EARLIEST = -2;
const LATEST = -1;
/** Leadership moving, a topic being created: refresh the metadata and go on. */
const STALE = new Set<number>([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 5, 6, ErrorCode.REQUEST_TIMED_OUT, 74, 75]);
const MAX_REFRESHES = 30;

/** Fetch sizes: the whole response, and each partition's share (doubled for a batch bigger than that). */
export const FETCH_MAX_BYTES = 16 * 1024 * 1024;
const PARTITION_MAX_BYTES = 4 * 1024 * 1024;

interface Leader {host: string; port: number}
interface TopicMeta {brokers: Map<number, Leader>; leaders: Map<number, number> | undefined; error: number}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const t = setTimeout(done, ms);
  function done() {
    clearTimeout(t);
    signal?.removeEventListener('abort', done);
    resolve();
  }
  signal?.addEventListener('abort', done, {once: true});
});

/** Connections by broker address: the bootstrap one, then one per partition leader. */
class Connections {
  private readonly open = new Map<string, Promise<KafkaConnection>>();
  constructor(private readonly b: BrokerUrl, private readonly o: ConnectOptions) {}

  to(host: string, port: number): Promise<KafkaConnection> {
    const key = `${host}:${port}`;
    let c = this.open.get(key);
    if (!c) {
      const tls = this.b.tls || this.o.tls ? {ca: this.o.tls?.ca, cert: this.o.tls?.cert, key: this.o.tls?.key, servername: this.o.tls?.servername ?? host, rejectUnauthorized: !this.o.tls?.insecure} : undefined;
      c = KafkaConnection.open({host, port, tls, timeoutMs: this.o.connectTimeoutMs ?? 10_000});
      c.catch(() => this.open.delete(key));
      this.open.set(key, c);
    }
    return c;
  }

  /** The first broker of the URL that answers; exit 3 (naming the address) when none does. */
  async bootstrap(): Promise<KafkaConnection> {
    let last: unknown;
    for (const h of this.b.address.split(',')) {
      const at = h.lastIndexOf(':');
      try {
        return await this.to(h.slice(0, at).replace(/^\[|\]$/g, ''), Number(h.slice(at + 1)));
      } catch (e) {
        last = e;
      }
    }
    throw connectError(this.b, last);
  }

  close(): void {
    for (const c of this.open.values()) c.then((x) => x.close(), () => undefined);
    this.open.clear();
  }
}

async function topicMeta(c: KafkaConnection, topic: string): Promise<TopicMeta> {
  const r = await c.request(ApiKey.Metadata, METADATA_V, (e) => e.writeInt32(1).writeString(topic).writeBoolean(false));
  r.readInt32(); // throttle time
  const brokers = new Map<number, Leader>();
  for (const x of r.readArray((d) => ({id: d.readInt32(), host: d.str(), port: d.readInt32(), rack: d.readString()}))) brokers.set(x.id, {host: x.host, port: x.port});
  r.readString(); // cluster id
  r.readInt32(); // controller id
  const topics = r.readArray((d) => ({
    error: d.readInt16(), name: d.str(), internal: d.readBoolean(),
    partitions: d.readArray((p) => ({error: p.readInt16(), partition: p.readInt32(), leader: p.readInt32(), replicas: p.readArray((q) => q.readInt32()), isr: p.readArray((q) => q.readInt32())})),
  }));
  const t = topics.find((x) => x.name === topic);
  if (!t || t.error === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return {brokers, leaders: undefined, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION};
  return {brokers, leaders: new Map(t.partitions.map((p) => [p.partition, p.leader])), error: t.error};
}

async function listOffsets(c: KafkaConnection, topic: string, partitions: number[], time: number): Promise<Map<number, number>> {
  const r = await c.request(ApiKey.ListOffsets, LIST_OFFSETS_V, (e) => {
    e.writeInt32(-1).writeInt8(READ_COMMITTED).writeInt32(1).writeString(topic).writeInt32(partitions.length);
    for (const p of partitions) e.writeInt32(p).writeInt64(time);
  });
  r.readInt32(); // throttle time
  const out = new Map<number, number>();
  for (const t of r.readArray((d) => ({name: d.str(), partitions: d.readArray((p) => ({partition: p.readInt32(), error: p.readInt16(), timestamp: p.int64(), offset: p.int64()}))}))) {
    for (const p of t.partitions) {
      if (p.error !== ErrorCode.NONE) throw new KafkaResponseError(p.error, `offsets of ${topic}/${p.partition}`);
      out.set(p.partition, p.offset);
    }
  }
  return out;
}

interface FetchedPartition {partition: number; error: number; aborted: AbortedTransaction[]; records: Buffer | null}

function readFetch(r: Reader): FetchedPartition[] {
  r.readInt32(); // throttle time
  const out: FetchedPartition[] = [];
  for (const t of r.readArray((d) => ({
    name: d.str(),
    partitions: d.readArray((p): FetchedPartition => {
      const partition = p.readInt32();
      const error = p.readInt16();
      p.int64(); // high watermark
      p.int64(); // last stable offset
      const aborted = p.readArray((a) => ({producerId: a.int64(), firstOffset: a.int64()}));
      return {partition, error, aborted, records: p.readBytes()};
    }),
  }))) out.push(...t.partitions);
  return out;
}

const EMPTY = Buffer.alloc(0);

function headersOf(raw: Buffer | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of parseHeaders(raw)) {
    const text = v === null ? '' : v.toString('utf8');
    out[k] = Object.hasOwn(out, k) ? `${out[k]}, ${text}` : text;
  }
  return out;
}

/**
 * `dial sub --broker kafka://` without --group: reads the partitions as kcat
 * -C does, with no consumer group (no JoinGroup/SyncGroup/heartbeats, nothing
 * committed): Metadata for the leaders, ListOffsets for where to start
 * (earliest with --from-beginning, else the end) and where "caught up" is,
 * then Fetch from each leader, one request in flight per partition (so a
 * broker always has the next one to build while dial prints), the next
 * one sent before the records of the last are handled. Resolves with the
 * number of messages handled: at -n, once caught up (without --follow), or on abort.
 */
export async function readTopic(b: BrokerUrl, o: ConnectOptions, topic: string, s: SubscribeOptions, fetchMaxBytes = FETCH_MAX_BYTES): Promise<number> {
  const conns = new Connections(b, o);
  const max = s.maxMessages ?? Infinity;
  let handled = 0;
  // a flag, not signal.aborted per message: the getter of AbortSignal.any's signal costs a tenth of a consume
  let aborted = Boolean(s.signal?.aborted);
  const onAbort = () => {
    aborted = true;
    conns.close();
  };
  s.signal?.addEventListener('abort', onAbort, {once: true});
  const failed = (e: unknown): never => {
    if (e instanceof DialError) throw e;
    if (e instanceof KafkaResponseError) throw brokerError(b, `consume '${topic}'`, e);
    throw lostError(b, e, handled);
  };
  try {
    const boot = await conns.bootstrap();
    let meta = await topicMeta(boot, topic).catch(failed);
    let appeared = false;
    for (let i = 0; meta.leaders === undefined || meta.error !== ErrorCode.NONE; i++) {
      if (meta.leaders === undefined && !s.follow) return 0;
      if (meta.leaders !== undefined && !STALE.has(meta.error)) throw brokerError(b, `consume '${topic}'`, new KafkaResponseError(meta.error, `metadata of '${topic}'`));
      if (meta.leaders === undefined) appeared = true;
      else if (i > MAX_REFRESHES) throw brokerError(b, `consume '${topic}'`, new KafkaResponseError(meta.error, `metadata of '${topic}'`));
      await sleep(meta.leaders === undefined ? 500 : 100, s.signal);
      if (s.signal?.aborted) return 0;
      meta = await topicMeta(boot, topic).catch(failed);
    }
    const count = meta.leaders!.size;
    if (s.partition !== undefined && s.partition >= count) throw usageError(`--partition ${s.partition}: '${topic}' has ${count} partition(s) (0-${count - 1})`);
    const partitions = s.partition === undefined ? [...meta.leaders!.keys()].sort((x, y) => x - y) : [s.partition];
    const leaderOf = async (p: number) => {
      const id = meta.leaders!.get(p) ?? -1;
      const at = meta.brokers.get(id);
      if (!at) throw new KafkaResponseError(5, `the leader of ${topic}/${p}`);
      return conns.to(at.host, at.port).catch((e) => {
        throw connectError({...b, address: `${at.host}:${at.port}`}, e);
      });
    };
    /** One ListOffsets per leader for its partitions. */
    const offsets = async (ps: number[], time: number) => {
      const byLeader = new Map<KafkaConnection, number[]>();
      for (const p of ps) {
        const c = await leaderOf(p);
        byLeader.set(c, [...(byLeader.get(c) ?? []), p]);
      }
      const out = new Map<number, number>();
      for (const got of await Promise.all([...byLeader].map(([c, mine]) => listOffsets(c, topic, mine, time)))) for (const [k, v] of got) out.set(k, v);
      return out;
    };
    const pinned = s.partition !== undefined && s.offset !== undefined;
    // a topic that appeared while following: all of it is new
    const [ends, starts] = await Promise.all([offsets(partitions, LATEST), !pinned && (s.fromBeginning || appeared) ? offsets(partitions, EARLIEST) : undefined]).catch(failed);
    const positions = pinned ? new Map([[s.partition!, s.offset!]]) : starts ?? new Map(ends);
    const limits = new Map(partitions.map((p) => [p, Math.min(PARTITION_MAX_BYTES, fetchMaxBytes)]));
    const active = (p: number) => s.follow || (positions.get(p) ?? 0) < (ends.get(p) ?? 0);
    const finished = () => handled >= max || aborted;

    const deliver = async (partition: number, records: FetchedRecord[]) => {
      for (const r of records) {
        if (finished()) return;
        const m: ReceivedMessage = {topic, partition, offset: r.offset, key: r.key === null ? null : r.key.toString('utf8'), headers: r.headers === null ? {} : headersOf(r.headers), value: r.value ?? EMPTY, timestamp: r.timestamp};
        const pending = s.onMessage(m);
        if (pending) await pending;
        handled += 1;
      }
    };

    const fetchFrom = (c: KafkaConnection, ps: number[]) => c.request(ApiKey.Fetch, FETCH_V, (e) => {
      e.writeInt32(-1).writeInt32(s.follow ? 1000 : 200).writeInt32(1).writeInt32(fetchMaxBytes).writeInt8(READ_COMMITTED);
      e.writeInt32(1).writeString(topic).writeInt32(ps.length);
      for (const p of ps) e.writeInt32(p).writeInt64(positions.get(p) ?? 0).writeInt32(limits.get(p)!);
    });

    /** Fetches the partitions `ps` of one leader until they are done; false when the metadata went stale. */
    const fetchLoop = async (c: KafkaConnection, ps: number[]): Promise<boolean> => {
      let inflight: Promise<Reader> | undefined = fetchFrom(c, ps);
      while (inflight) {
        const parts = readFetch(await inflight);
        let stale = false;
        let coming = 0;
        const got: [number, FetchedRecord[]][] = [];
        for (const p of parts) {
          if (p.error === ErrorCode.OFFSET_OUT_OF_RANGE) {
            // the log was truncated below the position (retention), or it is past the end: start over at the nearer end
            const first = (await listOffsets(c, topic, [p.partition], EARLIEST)).get(p.partition) ?? 0;
            positions.set(p.partition, (positions.get(p.partition) ?? 0) < first ? first : (await listOffsets(c, topic, [p.partition], LATEST)).get(p.partition) ?? first);
          } else if (STALE.has(p.error)) stale = true;
          else if (p.error !== ErrorCode.NONE) throw new KafkaResponseError(p.error, `fetch ${topic}/${p.partition}`);
          else if (p.records?.length) {
            // CRCs unchecked, as librdkafka's consumer by default (check.crcs=false): TCP guards the bytes, the producer's broker checked them
            const d = await decodeFetchedRecords(p.records, positions.get(p.partition) ?? 0, p.aborted, false).catch((e: Error) => {
              throw brokerError(b, `records of ${topic}/${p.partition}`, e);
            });
            positions.set(p.partition, d.nextOffset);
            if (d.truncated) limits.set(p.partition, limits.get(p.partition)! * 2);
            coming += d.records.length;
            got.push([p.partition, d.records]);
          }
        }
        const next = ps.filter(active);
        // the next fetch is on its way while these records are printed
        inflight = !stale && next.length && handled + coming < max ? fetchFrom(c, next) : undefined;
        inflight?.catch(() => undefined);
        for (const [partition, records] of got) await deliver(partition, records);
        if (stale) return false;
        if (finished()) return true;
        if (!inflight && next.length && !stale) inflight = fetchFrom(c, next);
      }
      return true;
    };

    for (let refreshes = 0; ; refreshes++) {
      const loops: [KafkaConnection, number[]][] = [];
      for (const p of partitions.filter(active)) loops.push([await leaderOf(p).catch(failed), [p]]);
      if (loops.length === 0 || finished()) return handled;
      const done = await Promise.all(loops.map(([c, ps]) => fetchLoop(c, ps))).catch((e: unknown) => {
        if (s.signal?.aborted) return [true];
        return failed(e);
      });
      if (done.every(Boolean) || finished()) return handled;
      if (refreshes >= MAX_REFRESHES) throw brokerError(b, `consume '${topic}'`, new Error('the partition leaders keep moving'));
      await sleep(200, s.signal);
      meta = await topicMeta(boot, topic).catch(failed);
      if (!meta.leaders) throw brokerError(b, `consume '${topic}'`, new Error('the topic was deleted'));
    }
  } finally {
    s.signal?.removeEventListener('abort', onAbort);
    conns.close();
  }
}
