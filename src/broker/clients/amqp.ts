import type {Channel, ChannelModel, ConsumeMessage, Options} from 'amqplib';
import {DialError, ExitCode, usageError} from '../../errors/index.js';
import {brokerError, lostError} from './errors.js';
import {urlCredentials} from './url.js';
import type {BrokerUrl, ConnectOptions, MessagingClient, OutMessage, PublishOptions, PublishResult, SubscribeOptions, TopicsResult} from './types.js';

/** RabbitMQ (AMQP 0-9-1) through amqplib: queues, exchanges, routing keys, acks after print, prefetch, dead-lettering. */
export async function openAmqp(b: BrokerUrl, o: ConnectOptions): Promise<MessagingClient> {
  const amqp = await import('amqplib');
  const tls = b.tls || Boolean(o.tls && Object.keys(o.tls).length);
  const url = tls && b.url.startsWith('amqp:') ? `amqps:${b.url.slice(5)}` : b.url;
  const conn: ChannelModel = await amqp.connect(url, {
    timeout: o.connectTimeoutMs ?? 10_000,
    ...(tls ? {ca: o.tls?.ca ? [o.tls.ca] : undefined, cert: o.tls?.cert, key: o.tls?.key, servername: o.tls?.servername, rejectUnauthorized: !o.tls?.insecure} : {}),
    clientProperties: {connection_name: 'dial'},
  }).catch((e: Error) => {
    // amqplib drops the reason of a Connection.Close during the handshake (after the login): the vhost was refused
    if (/Expected ConnectionOpenOk; got <ConnectionClose/.test(String(e?.message))) {
      const vhost = vhostOf(b.url);
      throw new DialError('BROKER_REFUSED', `RabbitMQ at ${b.address} refused to open vhost '${vhost}': it does not exist, or the user may not use it`, {
        hint: `check the vhost at the end of --broker (amqp://user:pass@host:5672/VHOST; '/' is amqp://host:5672/ and %2F), or grant access: rabbitmqctl set_permissions -p '${vhost}' USER '.*' '.*' '.*'`,
        exitCode: ExitCode.Failed, cause: e,
      });
    }
    throw e;
  });
  let lost: Error | undefined;
  const lostWaiters = new Set<(e: Error) => void>();
  const onLost = (e?: Error) => {
    lost ??= e ?? new Error('the broker closed the connection');
    for (const w of lostWaiters) w(lost);
  };
  conn.on('error', onLost);
  conn.on('close', (e?: Error) => onLost(e));

  /** A channel whose errors (a refused declare closes it) reject the call instead of crashing. */
  const channel = async (confirm = false): Promise<Channel> => {
    const ch = confirm ? await conn.createConfirmChannel() : await conn.createChannel();
    ch.on('error', () => undefined);
    return ch;
  };
  const refused = (what: string, e: unknown, hint?: string) => brokerError(b, what, e, hint);

  /** The queue, declared (durable, with its dead-letter exchange) when it does not exist yet. */
  const ensureQueue = async (name: string, dlx?: string): Promise<void> => {
    const probe = await channel();
    try {
      await probe.checkQueue(name);
      await probe.close().catch(() => undefined);
      return;
    } catch (e) {
      if (!/NOT_FOUND|404/.test(String((e as Error).message))) throw refused(`queue '${name}'`, e);
    }
    const ch = await channel();
    try {
      await ch.assertQueue(name, {durable: true, arguments: dlx ? {'x-dead-letter-exchange': dlx} : undefined});
    } catch (e) {
      throw refused(`cannot declare queue '${name}'`, e, 'queue names are up to 255 bytes and may not start with amq.');
    } finally {
      await ch.close().catch(() => undefined);
    }
  };

  /** The exchange: declared with --exchange-type, else it must exist. */
  const ensureExchange = async (ch: Channel, name: string, type?: string): Promise<void> => {
    try {
      if (type) await ch.assertExchange(name, type, {durable: true});
      else await ch.checkExchange(name);
    } catch (e) {
      if (!type && /NOT_FOUND|404/.test(String((e as Error).message))) {
        throw new DialError('NO_EXCHANGE', `RabbitMQ at ${b.address} has no exchange '${name}'`, {hint: 'declare it with --exchange-type direct|topic|fanout|headers', exitCode: ExitCode.Failed});
      }
      throw refused(`exchange '${name}'`, e, 'an existing exchange keeps its type: leave out --exchange-type, or pick another name (amq.* names are reserved)');
    }
  };

  return {
    kind: 'amqp',
    async publish(p: PublishOptions, messages: OutMessage[]): Promise<PublishResult[]> {
      if (messages.some((m) => m.key != null)) throw usageError('AMQP messages have no key: the routing key is the TOPIC argument', 'drop --key (or use -H for a header)');
      if (!p.exchange) await ensureQueue(p.topic, p.deadLetterExchange);
      const ch = await channel(true);
      try {
        if (p.exchange) await ensureExchange(ch, p.exchange, p.exchangeType);
        let returned = 0;
        ch.on('return', () => (returned += 1));
        const ts = Math.floor(Date.now() / 1000);
        for (const m of messages) {
          const props: Options.Publish = {persistent: true, mandatory: true, timestamp: ts, headers: m.headers};
          if (!ch.publish(p.exchange ?? '', p.topic, m.value, props)) await new Promise((r) => ch.once('drain', r));
        }
        await (ch as unknown as {waitForConfirms(): Promise<void>}).waitForConfirms();
        if (returned) {
          throw new DialError('UNROUTABLE', `${returned} of ${messages.length} message(s) were unroutable: no queue is bound to exchange '${p.exchange}' with routing key '${p.topic}'`, {
            hint: `bind one first (e.g. dial sub ${p.topic} --exchange ${p.exchange} --group QUEUE --follow), or check the routing key`, exitCode: ExitCode.Failed,
          });
        }
        return messages.map(() => ({topic: p.topic, ...(p.exchange ? {exchange: p.exchange} : {})}));
      } catch (e) {
        throw lost ? lostError(b, lost, 0) : refused('publish', e);
      } finally {
        await ch.close().catch(() => undefined);
      }
    },

    async subscribe(s: SubscribeOptions): Promise<number> {
      const dlxArgs = s.deadLetterExchange ? {'x-dead-letter-exchange': s.deadLetterExchange} : undefined;
      let queue = s.topic;
      if (s.exchange) {
        if (s.group) await ensureQueue(s.group, s.deadLetterExchange);
      } else {
        if (s.group) s.onNote?.(`AMQP: consumers of queue '${s.topic}' already share its messages; --group is only for --exchange (the shared queue's name)`);
        await ensureQueue(s.topic, s.deadLetterExchange);
      }
      const ch = await channel();
      if (s.exchange) {
        await ensureExchange(ch, s.exchange, s.exchangeType);
        queue = s.group ?? (await ch.assertQueue('', {exclusive: true, autoDelete: true, arguments: dlxArgs}).catch((e) => Promise.reject(refused('declare a queue', e)))).queue;
        await ch.bindQueue(queue, s.exchange, s.topic).catch((e) => Promise.reject(refused(`bind '${queue}' to '${s.exchange}'`, e)));
      }
      const max = s.maxMessages ?? Infinity;
      const idleMs = s.idleMs ?? 500;
      let handled = 0;
      let chain = Promise.resolve();
      let stopping = false;
      if (!s.noAck) await ch.prefetch(Math.min(s.prefetch ?? 500, max === Infinity ? 500 : max));
      return new Promise<number>((resolve, reject) => {
        let idle: NodeJS.Timeout | undefined;
        let tag: string | undefined;
        const finish = async (err?: unknown) => {
          if (stopping) return;
          stopping = true;
          clearTimeout(idle);
          lostWaiters.delete(onConnLost);
          s.signal?.removeEventListener('abort', onAbort);
          if (err && lost) return reject(lostError(b, lost, handled));
          await chain.catch(() => undefined);
          try {
            if (tag) await ch.cancel(tag);
            // delivered but not printed: back to the queue (an unprinted message is never acked)
            if (!s.noAck) ch.nackAll(true);
            await ch.close();
          } catch {
            // the channel is gone: the broker requeues what was not acked
          }
          if (err) reject(err);
          else resolve(handled);
        };
        const onConnLost = (e: Error) => void finish(e);
        const onAbort = () => void finish();
        lostWaiters.add(onConnLost);
        if (lost) return void finish(lost);
        s.signal?.addEventListener('abort', onAbort, {once: true});
        // One timer for the silence, not one per message (a new timer per message cost ~10% of a 100k consume):
        // each delivery moves lastAt, and the timer, when it fires early, waits for the rest.
        let lastAt = Date.now();
        const onIdle = () => {
          idle = undefined;
          const left = lastAt + idleMs - Date.now();
          if (left > 0) return void (idle = setTimeout(onIdle, left));
          // caught up when the queue has nothing ready (ours in flight are not counted)
          chain = chain.then(async () => {
            const q = await ch.checkQueue(queue);
            if (q.messageCount === 0) void finish();
            else armIdle();
          }).catch((e) => void finish(e));
        };
        const armIdle = () => {
          if (s.follow) return;
          lastAt = Date.now();
          idle ??= setTimeout(onIdle, idleMs);
        };
        const onDelivery = (msg: ConsumeMessage | null) => {
          if (msg === null) return void finish(new DialError('CONSUMER_CANCELLED', `RabbitMQ cancelled the consumer of queue '${queue}' (deleted?)`, {exitCode: ExitCode.Failed}));
          chain = chain.then(async () => {
            if (stopping || handled >= max) return;
            await s.onMessage(toReceived(msg, queue));
            handled += 1;
            if (!s.noAck) {
              if (s.reject) ch.reject(msg, false);
              else ch.ack(msg);
            }
            if (handled >= max) void finish();
            else armIdle();
          }).catch((e) => void finish(e));
        };
        ch.consume(queue, onDelivery, {noAck: Boolean(s.noAck)}).then((r) => {
          tag = r.consumerTag;
          armIdle();
        }, (e) => finish(refused(`consume from queue '${queue}'`, e)));
      });
    },

    async topics(names?: string[]): Promise<TopicsResult> {
      const topics: TopicsResult['topics'] = [];
      const missing: string[] = [];
      const notes = [];
      let listed: string[] | undefined;
      if (!names?.length) {
        const r = await listQueues(b, vhostOf(b.url), tls, o);
        if (typeof r === 'string') notes.push(r);
        else listed = r;
      }
      // the counts from AMQP itself (a passive declare): live, where the management API's lag by its statistics interval
      for (const name of names?.length ? names : listed ?? []) {
        const ch = await channel();
        try {
          const q = await ch.checkQueue(name);
          topics.push({name, kind: 'queue', messages: q.messageCount, consumers: q.consumerCount});
          await ch.close().catch(() => undefined);
        } catch {
          missing.push(name);
        }
      }
      if (missing.length && names?.length) notes.push(`no such queue: ${missing.join(', ')}`);
      return {broker: b.address, topics, ...(notes.length ? {note: notes.join('; ')} : {})};
    },

    async close() {
      conn.removeAllListeners('close');
      conn.on('error', () => undefined);
      await conn.close().catch(() => undefined);
    },
  };
}

function toReceived(msg: ConsumeMessage, queue: string) {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.properties.headers ?? {})) headers[k] = typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : JSON.stringify(v);
  const ts = msg.properties.timestamp as number | undefined;
  return {
    topic: msg.fields.routingKey, key: null, headers, value: msg.content, timestamp: typeof ts === 'number' ? ts * 1000 : null,
    exchange: msg.fields.exchange, queue, redelivered: msg.fields.redelivered,
  };
}

/** The vhost of an amqp:// URL as RabbitMQ sees it ('/' when the path is empty). */
function vhostOf(url: string): string {
  const path = /^[a-z]+:\/\/[^/]*\/?([^?#]*)/i.exec(url)?.[1] ?? '';
  return path ? decodeURIComponent(path) : '/';
}

const NO_LIST = 'AMQP 0-9-1 has no request that lists queues: name the queues to see their ready messages and consumers (dial topics --broker URL QUEUE...)';

/**
 * The queue names of `vhost` from RabbitMQ's management API (GET
 * /api/queues/VHOST, what rabbitmqadmin list queues reads), with the
 * credentials of the amqp:// URL. Without --management, a broker whose
 * plugin is off gets a note (a string) saying how to enable it; with it,
 * failing is an error.
 */
async function listQueues(b: BrokerUrl, vhost: string, tls: boolean, o: ConnectOptions): Promise<string[] | string> {
  const explicit = o.management !== undefined;
  const host = b.address.split(',')[0].replace(/:\d+$/, '');
  const base = (o.management ?? `${tls ? 'https' : 'http'}://${host}:${tls ? 15671 : 15672}`).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(`${base}/api/queues/${encodeURIComponent(vhost)}?columns=name`);
    if (!/^https?:$/.test(url.protocol)) throw new Error(url.protocol);
  } catch {
    throw usageError(`--management '${o.management}' is not an http(s) URL`, 'e.g. --management http://127.0.0.1:15672');
  }
  const {username = 'guest', password = 'guest'} = urlCredentials(b.url);
  // asked for (--management): an error; looked for at the default address: a note, and the names cannot be listed
  const failed = (code: string, exitCode: number, message: string, hint: string, note = message): string => {
    if (explicit) throw new DialError(code, message, {hint, exitCode});
    return `${NO_LIST}; ${note}`;
  };
  let res: Response;
  try {
    res = await fetch(url, {headers: {authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, accept: 'application/json'}, signal: AbortSignal.timeout(o.connectTimeoutMs ?? 10_000)});
  } catch (e) {
    const why = (e as {cause?: {code?: string}}).cause?.code ?? (e as Error).message;
    return failed('UNREACHABLE', ExitCode.Unreachable, `cannot reach RabbitMQ's management API at ${base} (${why})`, 'check --management, or enable the plugin: rabbitmq-plugins enable rabbitmq_management',
      `the management API at ${base}, which lists them, did not answer (${why}): enable it with rabbitmq-plugins enable rabbitmq_management, or give its URL with --management`);
  }
  if (res.status === 401 || res.status === 403) {
    const msg = `RabbitMQ's management API at ${base} refused user '${username}' (HTTP ${res.status})`;
    return failed('BROKER_REFUSED', ExitCode.Failed, msg, `the user needs a management tag: rabbitmqctl set_user_tags ${username} monitoring`, `${msg}: give the user the monitoring tag, or name the queues`);
  }
  if (res.status === 404) return failed('BROKER_REFUSED', ExitCode.Failed, `RabbitMQ's management API at ${base} has no vhost '${vhost}'`, 'check the vhost at the end of --broker');
  const body = await res.text();
  let rows: unknown;
  try {
    rows = JSON.parse(body);
  } catch {
    rows = undefined;
  }
  if (!res.ok || !Array.isArray(rows)) {
    return failed('BROKER_ERROR', ExitCode.Failed, `RabbitMQ's management API at ${base} answered HTTP ${res.status} ${body.slice(0, 200)}`, 'check --management: it is the management plugin\'s URL (port 15672), not the AMQP port');
  }
  return rows.map((q) => String((q as {name?: unknown}).name)).sort();
}
