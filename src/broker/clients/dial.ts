import {DialError, ExitCode} from '../../errors/index.js';
import {openBrokerClient} from '../client.js';
import {consume} from '../consumer.js';
import {checkName} from '../input.js';
import type {BrokerUrl, ConnectOptions, MessagingClient, OutMessage, PublishOptions, PublishResult, SubscribeOptions, TopicsResult} from './types.js';

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** The local cluster's broker (dial://): its HTTP API, as `dial pub/sub` always spoke it. */
export async function openDial(_b: BrokerUrl, o: ConnectOptions): Promise<MessagingClient> {
  const client = openBrokerClient(o.home);
  return {
    kind: 'dial',
    async publish(p: PublishOptions, messages: OutMessage[]): Promise<PublishResult[]> {
      const topic = checkName('topic', p.topic);
      const results: PublishResult[] = [];
      for (let i = 0; i < messages.length; i += 1000) {
        const batch = messages.slice(i, i + 1000).map((m) => ({value: text(m.value), key: m.key ?? null, ...(m.headers ? {headers: m.headers} : {})}));
        for (const r of (await client.publish(topic, batch, p.partitions)).results) results.push({topic, partition: r.partition, offset: r.offset});
      }
      return results;
    },
    subscribe(s: SubscribeOptions): Promise<number> {
      const group = s.group === undefined ? undefined : checkName('group', s.group);
      // a turn before each commit: dial sub writes what it printed once per turn, and a commit says it was printed
      const committing = Object.assign(Object.create(client) as typeof client, {
        commit: async (...a: Parameters<typeof client.commit>) => {
          await new Promise((r) => setImmediate(r));
          return client.commit(...a);
        },
      });
      return consume(committing, {
        topic: checkName('topic', s.topic), group, fromBeginning: s.fromBeginning, follow: s.follow, maxMessages: s.maxMessages,
        noCommit: s.noCommit, sessionTimeoutMs: s.sessionTimeoutMs, signal: s.signal,
        onMessage: (m) => s.onMessage({topic: m.topic, partition: m.partition, offset: m.offset, key: m.key, headers: m.headers ?? {}, value: Buffer.from(m.value, 'utf8'), timestamp: m.timestamp}),
        onEvent: (e) => {
          if (e.type === 'assigned') s.onNote?.(`${group}: member ${e.member}, generation ${e.generation}, partitions [${e.partitions.join(', ')}]`);
          else if (e.type === 'rejected') s.onNote?.(`${group}: partitions [${e.partitions.join(', ')}] were reassigned before this member committed them (another member will deliver them again)`);
          else if (e.type === 'rejoin') s.onNote?.(`${group}: ${e.reason}; joining again`);
        },
      });
    },
    async topics(): Promise<TopicsResult> {
      const list = await client.topics();
      return {
        broker: 'dial://',
        topics: list.map((t) => ({name: t.name, kind: 'topic', partitions: t.partitions, messages: t.partitions.reduce((n, p) => n + p.end - p.start, 0)})),
      };
    },
    close: () => client.close(),
  };
}

function text(value: Buffer): string {
  try {
    return utf8.decode(value);
  } catch {
    throw new DialError('BINARY_VALUE', 'the local cluster\'s broker API (dial://) carries text values, and this value is binary', {
      hint: 'use --codec json, or publish binary values through the cluster\'s Kafka port (--broker kafka://127.0.0.1:PORT, see dial cluster status)',
      exitCode: ExitCode.Usage,
    });
  }
}
