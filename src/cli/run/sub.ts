import {openMessaging, type BrokerFlagValues} from '../../broker/cli.js';
import {valueCodec} from '../../broker/clients/values.js';
import type {ReceivedMessage} from '../../broker/clients/types.js';
import {parseDurationFlag} from '../../util/index.js';
import {LineWriter} from '../line-writer.js';
import type {CommandContext} from '../session.js';

/** The flag values `dial sub` reads (commands/sub.ts defines the flags). */
export interface SubFlags extends BrokerFlagValues {
  codec?: string;
  schema?: string;
  type?: string;
  exchange?: string;
  'exchange-type'?: string;
  'dead-letter-exchange'?: string;
  group?: string;
  'from-beginning'?: boolean;
  follow?: boolean;
  'max-messages'?: number;
  'no-commit'?: boolean;
  'session-timeout': string;
  partition?: number;
  offset?: number;
  'no-ack'?: boolean;
  reject?: boolean;
  prefetch?: number;
  qos?: number;
  idle: string;
  verbose?: boolean;
}

/** `dial sub TOPIC`: the command's logic, run by oclif (commands/sub.ts) or by the fast path (src/cli/fast.ts). */
export async function runSub(ctx: CommandContext, args: {topic: string}, flags: SubFlags): Promise<void> {
  const codec = await valueCodec(flags);
  const client = await openMessaging(ctx.home, flags);
  ctx.onFinally(() => client.close());
  const json = ctx.jsonEnabled();
  const {out} = ctx;
  // progress on a terminal stderr when stdout goes elsewhere (on a terminal the messages are the progress)
  const progress = out.progress && !process.stdout.isTTY;
  let seen = 0;
  // stdout in large writes, once per event-loop turn, where the client lets a turn pass before it commits (so what it
  // commits has been written) or has no acks to give (NATS, Kafka without a group); AMQP and MQTT ack each message after it is written
  const stop = new AbortController();
  const writer = new LineWriter(out.stdout, {immediate: !['kafka', 'dial', 'nats'].includes(client.kind), onClosed: () => stop.abort()});
  const plain = !json && !flags.verbose ? codec.asLine : undefined;
  const print = (m: ReceivedMessage) => {
    const raw = plain?.(m.value);
    if (raw) writer.bytes(raw);
    else {
      const v = codec.decode(m.value);
      if (v.error) out.note(`warning: ${m.topic}${m.offset === undefined ? '' : `@${m.partition}:${m.offset}`}: ${v.error}`);
      if (json) {
        const {value: _raw, ...rest} = m;
        writer.line(JSON.stringify({...rest, value: v.value, ...(v.encoding ? {encoding: v.encoding} : {})}));
      } else if (flags.verbose) writer.line(`${m.partition === undefined ? m.topic : `${m.partition}:${m.offset}`}\t${m.key ?? '-'}\t${v.text}`);
      else writer.line(v.text);
    }
    seen += 1;
    if (progress && seen % 1000 === 0) process.stderr.write(`\r${seen} messages`);
    return writer.drained();
  };
  const n = await client.subscribe({
    topic: args.topic, group: flags.group, fromBeginning: flags['from-beginning'], follow: flags.follow, maxMessages: flags['max-messages'],
    noCommit: flags['no-commit'], sessionTimeoutMs: parseDurationFlag('session-timeout', flags['session-timeout']), partition: flags.partition, offset: flags.offset,
    noAck: flags['no-ack'], reject: flags.reject, prefetch: flags.prefetch, exchange: flags.exchange, exchangeType: flags['exchange-type'] as 'topic' | undefined,
    deadLetterExchange: flags['dead-letter-exchange'], qos: flags.qos as 0 | 1 | 2 | undefined, idleMs: parseDurationFlag('idle', flags.idle),
    signal: AbortSignal.any([ctx.signal, stop.signal]), onMessage: print, onNote: (t) => {
      writer.flush();
      out.note(t);
    },
  }).finally(() => writer.flush());
  if (progress && seen >= 1000) process.stderr.write(`\r${seen} messages\n`);
  if (n === 0 && !flags.follow && !json && !writer.closed) out.note(emptyNote(client.kind, args.topic, flags['from-beginning'] || Boolean(flags.group), flags.idle));
}

/** What an empty read says, in the terms of the broker: only logs (Kafka, the local cluster) have a beginning to read from. */
function emptyNote(kind: string, topic: string, fromStart: boolean, idle: string): string {
  switch (kind) {
    case 'amqp': return `no messages in ${topic} (the queue is empty; --follow waits for them)`;
    case 'mqtt': return `no messages on ${topic} in ${idle} (MQTT keeps only retained messages; --follow waits, --client-id keeps a session that collects them)`;
    case 'nats': return `no messages on ${topic} in ${idle} (core NATS keeps none; --follow waits)`;
    default: return fromStart ? `no messages in ${topic}` : `no new messages in ${topic} (--from-beginning reads what is there, --follow waits)`;
  }
}
