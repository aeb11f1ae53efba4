import type {Msg, NatsConnection} from '@nats-io/transport-node';
import {DialError, rpcExitCode, usageError} from '../../errors/index.js';
import {brokerError, connectError, lostError} from './errors.js';
import {urlCredentials} from './url.js';
import type {BrokerUrl, ConnectOptions, MessagingClient, OutMessage, PublishOptions, PublishResult, ReceivedMessage, SubscribeOptions, TopicsResult} from './types.js';

/** Connects with the NATS client (@nats-io/transport-node), no reconnects: a lost connection is reported. */
export async function connectNats(b: BrokerUrl, o: ConnectOptions): Promise<NatsConnection> {
  const {connect} = await import('@nats-io/transport-node');
  const tls = b.tls || Boolean(o.tls && Object.keys(o.tls).length);
  const {username, password} = urlCredentials(b.url);
  return connect({
    servers: b.address.split(','), name: 'dial', reconnect: false, timeout: o.connectTimeoutMs ?? 10_000,
    ...(username ? (password === undefined ? {token: username} : {user: username, pass: password}) : {}),
    ...(tls ? {tls: {ca: o.tls?.ca?.toString(), cert: o.tls?.cert?.toString(), key: o.tls?.key?.toString(), ...(o.tls?.insecure ? {rejectUnauthorized: false} : {})} as object} : {}),
  });
}

function headersOf(m: Msg): Record<string, string> {
  const out: Record<string, string> = {};
  if (!m.headers) return out;
  for (const [k, v] of m.headers) out[k] = v.join(', ');
  return out;
}

/** A subject to subscribe to: dot-separated tokens, `*` for one token, `>` for the rest (last token only). */
function checkFilter(subject: string): string {
  const tokens = subject.split('.');
  if (!subject || /\s/.test(subject) || tokens.some((t, i) => !t || (t !== '*' && t !== '>' && /[*>]/.test(t)) || (t === '>' && i !== tokens.length - 1))) {
    throw usageError(`'${subject}' is not a NATS subject to subscribe to`, 'subjects are dot-separated tokens without spaces; * stands for one token, > for the rest, as the last token (orders.*.created, orders.>)');
  }
  return subject;
}

/** Core NATS keeps nothing: what was not delivered before the connection dropped is gone, unlike Kafka's or AMQP's. */
function natsLost(b: BrokerUrl, e: unknown, handled: number): DialError {
  const base = lostError(b, e, handled);
  return new DialError(base.code, base.message, {
    hint: `the ${handled} printed message(s) were delivered; core NATS keeps no messages for a subscriber that is away (use a JetStream stream for that): run the command again when the server is back`,
    exitCode: base.exitCode, cause: e,
  });
}

/** NATS: subjects with * and > wildcards, --group as a queue group, JetStream streams in `dial topics`. */
export async function openNats(b: BrokerUrl, o: ConnectOptions): Promise<MessagingClient> {
  const nc = await connectNats(b, o);
  const {headers: makeHeaders, errors} = await import('@nats-io/transport-node');
  // the server's -ERR answers (permission violations) arrive as status events, not as failed calls
  const serverErrors: Error[] = [];
  void (async () => {
    for await (const st of nc.status()) if (st.type === 'error') serverErrors.push(st.error);
  })().catch(() => undefined);
  let lost: Error | undefined;
  const closed = nc.closed().then((e) => {
    lost = (e as Error | undefined) ?? new Error('the server closed the connection');
    return lost;
  });
  return {
    kind: 'nats',
    async publish(p: PublishOptions, messages: OutMessage[]): Promise<PublishResult[]> {
      if (messages.some((m) => m.key != null)) throw usageError('NATS messages have no key: the subject is the TOPIC argument', 'drop --key (or use -H for a header)');
      if (!p.topic || /[\s*>]/.test(p.topic) || /(^|\.)(\.|$)/.test(p.topic)) throw usageError(`'${p.topic}' is not a NATS subject to publish to`, 'subjects are dot-separated tokens without spaces; * and > are only for subscribing (e.g. orders.eu.created)');
      try {
        for (const m of messages) {
          let h;
          if (m.headers) {
            h = makeHeaders();
            for (const [k, v] of Object.entries(m.headers)) h.set(k, v);
          }
          nc.publish(p.topic, m.value, h ? {headers: h} : undefined);
        }
        // the server answers a PUB it refuses with -ERR before the PONG of this flush
        await nc.flush();
        // ... and its status event reaches the loop above a turn later
        await new Promise((r) => setImmediate(r));
      } catch (e) {
        throw lost ? natsLost(b, lost, 0) : brokerError(b, `publish to '${p.topic}'`, e);
      }
      const refused = serverErrors.find((e) => e instanceof errors.PermissionViolationError);
      if (refused) throw brokerError(b, `publish to '${p.topic}'`, refused, 'the server\'s authorization does not let this user publish there: check the subject, or the user\'s permissions');
      return messages.map(() => ({topic: p.topic}));
    },

    subscribe(s: SubscribeOptions): Promise<number> {
      const topic = checkFilter(s.topic);
      if (s.fromBeginning) s.onNote?.('core NATS keeps no history: only messages published from now on arrive');
      const max = s.maxMessages ?? Infinity;
      // -n N waits for N messages (as nats sub --count does): core NATS has no backlog to be caught up with
      const idleMs = s.follow || s.maxMessages !== undefined ? undefined : s.idleMs ?? 1000;
      const sub = nc.subscribe(topic, {...(s.group ? {queue: s.group} : {})});
      let handled = 0;
      let stopped = false;
      let idle: NodeJS.Timeout | undefined;
      const stop = () => {
        stopped = true;
        clearTimeout(idle);
        sub.unsubscribe();
      };
      const armIdle = () => {
        if (idleMs === undefined) return;
        clearTimeout(idle);
        idle = setTimeout(stop, idleMs);
      };
      const onAbort = () => stop();
      s.signal?.addEventListener('abort', onAbort, {once: true});
      return (async () => {
        try {
          // a subscription the server refuses (permissions) is known once it answered the SUB
          await nc.flush();
          armIdle();
          for await (const m of sub) {
            const r: ReceivedMessage = {topic: m.subject, subject: m.subject, key: null, headers: headersOf(m), value: Buffer.from(m.data), timestamp: null, ...(m.reply ? {reply: m.reply} : {})};
            await s.onMessage(r);
            handled += 1;
            if (handled >= max) {
              stop();
              break;
            }
            armIdle();
          }
        } catch (e) {
          if (e instanceof errors.PermissionViolationError) throw brokerError(b, `subscribe to '${topic}'`, e, 'the server\'s authorization does not let this user subscribe there: check the subject, or the user\'s permissions');
          if (lost || nc.isClosed()) throw natsLost(b, await closed, handled);
          throw brokerError(b, `subscription to '${topic}'`, e);
        } finally {
          clearTimeout(idle);
          s.signal?.removeEventListener('abort', onAbort);
        }
        const refused = serverErrors.find((e) => e instanceof errors.PermissionViolationError);
        if (refused) throw brokerError(b, `subscribe to '${topic}'`, refused, 'the server\'s authorization does not let this user subscribe there: check the subject, or the user\'s permissions');
        // the iterator also ends when the connection closes under it
        if (!stopped && !s.signal?.aborted) throw natsLost(b, await closed, handled);
        return handled;
      })();
    },

    async topics(): Promise<TopicsResult> {
      const {jetstreamManager} = await import('@nats-io/jetstream');
      try {
        const jsm = await jetstreamManager(nc, {timeout: 3000});
        const streams = await jsm.streams.list().next();
        return {
          broker: b.address,
          topics: streams.map((si) => ({name: si.config.name, kind: 'stream', subjects: si.config.subjects, messages: si.state.messages, bytes: si.state.bytes, consumers: si.state.consumer_count})),
          note: 'JetStream streams; core NATS subjects are not kept anywhere, so the server has no list of them',
        };
      } catch (e) {
        if (/not enabled|503|no responders|timeout/i.test(String((e as Error).message) + String((e as {name?: string}).name))) {
          return {broker: b.address, topics: [], note: 'the server keeps no list of subjects (core NATS), and JetStream is not enabled there (nats-server -js) to list streams'};
        }
        throw brokerError(b, 'list JetStream streams', e);
      }
    },

    async close() {
      await nc.drain().catch(() => nc.close());
    },
  };
}

/** `dial call nats://HOST:PORT/SUBJECT -d JSON`: a request and its reply, like an RPC. */
export async function natsRequest(b: BrokerUrl, o: ConnectOptions, subject: string, data: Buffer, timeoutMs: number, hdrs?: Record<string, string>): Promise<{subject: string; reply: Buffer; headers: Record<string, string>; ms: number}> {
  if (!subject || /[\s*>]/.test(subject)) throw usageError(`'${subject}' is not a NATS subject to send a request to`, 'write it as the URL\'s path: dial call nats://127.0.0.1:4222/greeter.hello -d \'{"name":"ada"}\'');
  const nc = await connectNats(b, o).catch((e: unknown) => {
    throw connectError(b, e);
  });
  const {headers: makeHeaders, errors} = await import('@nats-io/transport-node');
  try {
    let h;
    if (hdrs && Object.keys(hdrs).length) {
      h = makeHeaders();
      for (const [k, v] of Object.entries(hdrs)) h.set(k, v);
    }
    const t0 = performance.now();
    const m = await nc.request(subject, data, {timeout: timeoutMs, ...(h ? {headers: h} : {})});
    return {subject, reply: Buffer.from(m.data), headers: headersOf(m), ms: performance.now() - t0};
  } catch (e) {
    const chain = [e, (e as {cause?: unknown}).cause];
    if (chain.some((x) => x instanceof errors.NoRespondersError)) {
      throw new DialError('NO_RESPONDERS', `no responders for '${subject}' on NATS at ${b.address}: nothing subscribes to that subject`, {hint: 'start the service that answers it (or check the subject\'s spelling)', exitCode: rpcExitCode(14)});
    }
    if (chain.some((x) => x instanceof errors.TimeoutError)) {
      throw new DialError('DEADLINE_EXCEEDED', `no reply from '${subject}' on NATS at ${b.address} within ${timeoutMs} ms`, {hint: 'the responder is slow or dropped the request: raise --max-time', exitCode: rpcExitCode(4)});
    }
    throw brokerError(b, `request to '${subject}'`, e);
  } finally {
    await nc.close().catch(() => undefined);
  }
}
