import type {Admin, Consumer, Kafka, Producer} from 'kafkajs';
import {DialError, usageError} from '../../errors/index.js';
import {brokerError, connectError, lostError} from './errors.js';
import {urlCredentials} from './url.js';
import type {BrokerUrl, ConnectOptions, MessagingClient, OutMessage, PublishOptions, PublishResult, SubscribeOptions, TopicsResult} from './types.js';

const TOPIC_RE = /^[A-Za-z0-9._-]{1,249}$/;

function checkTopic(t: string): string {
  if (!TOPIC_RE.test(t) || t === '.' || t === '..') throw usageError(`'${t}' is not a valid Kafka topic name`, 'use 1-249 of A-Z a-z 0-9 . _ - (not . or .. alone)');
  return t;
}

/** Kafka through kafkajs: keys and partitions on produce, groups with committed offsets, --from-beginning and --offset on consume. */
export async function openKafka(b: BrokerUrl, o: ConnectOptions): Promise<MessagingClient> {
  const {username, password} = urlCredentials(b.url);
  // kafkajs (its client and an admin connection) only for what needs it: a groupless sub reads with kafka-reader.ts
  let client: Promise<{kafka: Kafka; admin: Admin; Partitioners: typeof import('kafkajs').Partitioners}> | undefined;
  const connect = () => client ??= (async () => {
    const {Kafka: KafkaClass, logLevel, Partitioners} = await import('kafkajs');
    const tls = b.tls || Boolean(o.tls && Object.keys(o.tls).length);
    const kafka: Kafka = new KafkaClass({
      clientId: 'dial', brokers: b.address.split(','), logLevel: logLevel.NOTHING, connectionTimeout: o.connectTimeoutMs ?? 10_000,
      retry: {retries: 1, initialRetryTime: 100, maxRetryTime: 1000},
      ...(tls ? {ssl: {ca: o.tls?.ca ? [o.tls.ca] : undefined, cert: o.tls?.cert, key: o.tls?.key, servername: o.tls?.servername, rejectUnauthorized: !o.tls?.insecure}} : {}),
      ...(username ? {sasl: {mechanism: 'plain' as const, username, password: password ?? ''}} : {}),
    });
    const admin: Admin = kafka.admin();
    try {
      await admin.connect();
    } catch (e) {
      throw connectError(b, e);
    }
    return {kafka, admin, Partitioners};
  })();
  let producer: Producer | undefined;

  const partitionCount = async (topic: string): Promise<number | undefined> => {
    const {admin} = await connect();
    try {
      const md = await admin.fetchTopicMetadata({topics: [topic]});
      return md.topics[0]?.partitions.length;
    } catch (e) {
      if ((e as {type?: string}).type === 'UNKNOWN_TOPIC_OR_PARTITION' || /does not host this topic-partition|unknown topic/i.test(String((e as Error).message))) return undefined;
      throw brokerError(b, `metadata of '${topic}'`, e);
    }
  };

  return {
    kind: 'kafka',
    async publish(p: PublishOptions, messages: OutMessage[]): Promise<PublishResult[]> {
      const topic = checkTopic(p.topic);
      const {kafka, admin, Partitioners} = await connect();
      let n = await partitionCount(topic);
      if (n === undefined) {
        await admin.createTopics({topics: [{topic, numPartitions: p.partitions ?? -1}], waitForLeaders: true}).catch((e) => {
          throw brokerError(b, `cannot create topic '${topic}'`, e, 'check the name (1-249 of A-Z a-z 0-9 . _ -) and the broker\'s topic settings');
        });
        n = (await partitionCount(topic)) ?? 1;
      }
      if (p.partition !== undefined && p.partition >= n) throw usageError(`--partition ${p.partition}: '${topic}' has ${n} partition(s) (0-${n - 1})`);
      producer ??= kafka.producer({allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner});
      await producer.connect();
      // pick each message's partition here (kafkajs' Java-compatible partitioner) so each result names its own offset
      const pick = Partitioners.DefaultPartitioner();
      const partitionMetadata = Array.from({length: n}, (_v, i) => ({partitionId: i, leader: 0, partitionErrorCode: 0, replicas: [], isr: []}));
      const results: PublishResult[] = [];
      for (let i = 0; i < messages.length; i += 1000) {
        const batch = messages.slice(i, i + 1000).map((m) => {
          const msg = {key: m.key ?? null, value: m.value, headers: m.headers};
          return {...msg, partition: p.partition ?? pick({topic, partitionMetadata, message: msg})};
        });
        let meta;
        try {
          meta = await producer.send({topic, acks: -1, messages: batch});
        } catch (e) {
          throw brokerError(b, `produce to '${topic}'`, e);
        }
        const base = new Map(meta.map((r) => [r.partition, Number(r.baseOffset)]));
        const seen = new Map<number, number>();
        for (const m of batch) {
          const k = seen.get(m.partition) ?? 0;
          seen.set(m.partition, k + 1);
          results.push({topic, partition: m.partition, offset: (base.get(m.partition) ?? 0) + k});
        }
      }
      return results;
    },

    async subscribe(s: SubscribeOptions): Promise<number> {
      const topic = checkTopic(s.topic);
      if (s.offset !== undefined && s.partition === undefined) throw usageError('--offset needs --partition', 'e.g. --partition 0 --offset 42');
      // alone (no --group): no consumer group to join, the partitions read as kcat -C does; SASL stays with kafkajs
      if (!s.group && !username) return (await import('./kafka-reader.js')).readTopic(b, o, topic, s);
      const {kafka, admin} = await connect();
      const max = s.maxMessages ?? Infinity;
      const count = await partitionCount(topic);
      if (count === undefined && !s.follow) return 0;
      // where "caught up" is: the end of each partition now
      const ends = new Map<number, number>();
      const positions = new Map<number, number>();
      if (count !== undefined) {
        const offs = await admin.fetchTopicOffsets(topic);
        for (const x of offs) ends.set(x.partition, Number(x.high));
        const committed = s.group ? (await admin.fetchOffsets({groupId: s.group, topics: [topic]}))[0]?.partitions ?? [] : [];
        for (const x of offs) {
          const c = Number(committed.find((y) => y.partition === x.partition)?.offset ?? -1);
          positions.set(x.partition, c >= 0 ? c : s.fromBeginning ? Number(x.low) : Number(x.high));
        }
        if (s.partition !== undefined) positions.set(s.partition, s.offset ?? positions.get(s.partition) ?? 0);
      }
      const groupId = s.group ?? `dial-sub-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
      const consumer: Consumer = kafka.consumer({
        groupId, sessionTimeout: Math.max(s.sessionTimeoutMs ?? 10_000, 6000), heartbeatInterval: 1000, maxWaitTimeInMs: s.follow ? 1000 : 200,
        retry: {retries: 1, initialRetryTime: 100, restartOnFailure: async () => false},
      });
      let assigned: number[] | undefined = s.partition === undefined ? undefined : [s.partition];
      let handled = 0;
      let settle: (err?: unknown) => void = () => undefined;
      const finished = new Promise<void>((resolve, reject) => {
        settle = (err) => (err ? reject(err) : resolve());
      });
      const caughtUp = () => !s.follow && (assigned ?? [...ends.keys()]).every((p) => (positions.get(p) ?? 0) >= (ends.get(p) ?? 0));
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        if (s.partition === undefined) assigned = e.payload.memberAssignment[topic] ?? [];
        if (s.group) s.onNote?.(`${s.group}: member ${e.payload.memberId}, partitions [${(assigned ?? []).join(', ')}]`);
        if (caughtUp()) settle();
      });
      consumer.on(consumer.events.CRASH, (e) => settle(lostError(b, e.payload.error, handled)));
      const onAbort = () => settle();
      s.signal?.addEventListener('abort', onAbort, {once: true});
      try {
        await consumer.connect();
        await consumer.subscribe({topics: [topic], fromBeginning: Boolean(s.fromBeginning)});
        let done = false;
        await consumer.run({
          autoCommit: false, eachBatchAutoResolve: false,
          eachBatch: async ({batch, resolveOffset, heartbeat, isRunning, isStale}) => {
            if (s.partition !== undefined && batch.partition !== s.partition) return;
            let last: string | undefined;
            for (const m of batch.messages) {
              if (done || handled >= max || !isRunning() || isStale()) break;
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = Array.isArray(v) ? v.map(String).join(', ') : String(v ?? '');
              await s.onMessage({topic, partition: batch.partition, offset: Number(m.offset), key: m.key ? m.key.toString('utf8') : null, headers, value: m.value ?? Buffer.alloc(0), timestamp: Number(m.timestamp)});
              handled += 1;
              resolveOffset(m.offset);
              last = m.offset;
              positions.set(batch.partition, Number(m.offset) + 1);
            }
            // a turn first: dial sub writes what it printed once per turn, and a commit says it was printed
            if (last !== undefined && s.group && !s.noCommit) await new Promise((r) => setImmediate(r));
            if (last !== undefined && s.group && !s.noCommit) await consumer.commitOffsets([{topic, partition: batch.partition, offset: String(Number(last) + 1)}]);
            await heartbeat();
            if (handled >= max || caughtUp()) {
              done = true;
              settle();
            }
          },
        });
        if (s.partition !== undefined) consumer.seek({topic, partition: s.partition, offset: String(positions.get(s.partition) ?? 0)});
        if (caughtUp() && assigned) settle();
        await finished;
        return handled;
      } catch (e) {
        if (e instanceof DialError) throw e;
        throw brokerError(b, `consume '${topic}'`, e);
      } finally {
        s.signal?.removeEventListener('abort', onAbort);
        await consumer.disconnect().catch(() => undefined);
      }
    },

    async topics(): Promise<TopicsResult> {
      const {admin} = await connect();
      const names = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
      const topics: TopicsResult['topics'] = [];
      for (const name of names) {
        const offs = await admin.fetchTopicOffsets(name);
        const partitions = offs.map((x) => ({partition: x.partition, start: Number(x.low), end: Number(x.high)})).sort((x, y) => x.partition - y.partition);
        topics.push({name, kind: 'topic', partitions, messages: partitions.reduce((n, p) => n + p.end - p.start, 0)});
      }
      return {broker: b.address, topics};
    },

    async close() {
      await producer?.disconnect().catch(() => undefined);
      if (client) await (await client.catch(() => undefined))?.admin.disconnect().catch(() => undefined);
    },
  };
}

