import type {IClientOptions, IPublishPacket, MqttClient} from 'mqtt';
import {DialError, ExitCode, usageError} from '../../errors/index.js';
import {brokerError, lostError} from './errors.js';
import {urlCredentials} from './url.js';
import type {BrokerUrl, ConnectOptions, MessagingClient, OutMessage, PublishOptions, PublishResult, ReceivedMessage, SubscribeOptions, TopicsResult} from './types.js';

/** MQTT 5 through mqtt.js: QoS 0/1/2, retained messages, + and # filters, headers as user properties, --group as a $share group. */
export async function openMqtt(b: BrokerUrl, o: ConnectOptions): Promise<MessagingClient> {
  const mqtt = await import('mqtt');
  const tls = b.tls || Boolean(o.tls && Object.keys(o.tls).length);
  const [host, port] = splitHostPort(b.address.split(',')[0]);
  const creds = urlCredentials(b.url);
  const options: IClientOptions = {
    host, port, protocol: tls ? 'mqtts' : 'mqtt', protocolVersion: 5, reconnectPeriod: 0, connectTimeout: o.connectTimeoutMs ?? 10_000,
    ...creds,
    // --client-id: a persistent session (clean start off, kept --session-expiry after we go), else a clean one of our own
    ...(o.clientId ? {clientId: o.clientId, clean: false, properties: {sessionExpiryInterval: o.sessionExpirySec ?? 3600}} : {clientId: `dial-${process.pid}-${Math.random().toString(16).slice(2, 10)}`, clean: true}),
    ...(tls ? {ca: o.tls?.ca, cert: o.tls?.cert, key: o.tls?.key, servername: o.tls?.servername, rejectUnauthorized: !o.tls?.insecure} : {}),
  };
  const client: MqttClient = mqtt.connect(options);
  // a resumed session's queued messages can arrive right behind the CONNACK, before anyone subscribes: keep them for the first collect
  let early: Parameters<typeof onEarly>[] | undefined = [];
  function onEarly(topic: string, payload: Buffer, packet: IPublishPacket) {
    early?.push([topic, payload, packet]);
  }
  client.on('message', onEarly);
  let sessionPresent = false;
  await new Promise<void>((resolve, reject) => {
    const off = () => {
      client.removeListener('connect', ok);
      client.removeListener('error', fail);
      client.removeListener('close', closed);
    };
    const fail = (e: Error) => {
      off();
      client.end(true);
      reject(e);
    };
    const closed = () => fail(new Error("Couldn't connect to server"));
    const ok = (ack: {sessionPresent?: boolean}) => {
      off();
      sessionPresent = Boolean(ack.sessionPresent);
      resolve();
    };
    client.on('connect', ok);
    client.on('error', fail);
    client.on('close', closed);
  });
  let lost: Error | undefined;
  const lostWaiters = new Set<(e: Error) => void>();
  const onLost = (e?: Error) => {
    lost ??= e ?? new Error('the broker closed the connection');
    for (const w of lostWaiters) w(lost);
  };
  client.on('error', (e) => onLost(e));
  client.on('close', () => onLost());

  /** Collects messages of `filter` until -n, silence (no --follow), abort or a lost connection. */
  const collect = async (filter: string, qos: 0 | 1 | 2, s: Pick<SubscribeOptions, 'maxMessages' | 'follow' | 'idleMs' | 'signal' | 'onMessage'>, b0 = b): Promise<number> => {
    const max = s.maxMessages ?? Infinity;
    let handled = 0;
    let chain = Promise.resolve();
    return new Promise<number>((resolve, reject) => {
      let idle: NodeJS.Timeout | undefined;
      let done = false;
      const finish = (err?: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(idle);
        client.removeListener('message', onMessage);
        lostWaiters.delete(onConn);
        s.signal?.removeEventListener('abort', onAbort);
        void chain.finally(() => (err ? reject(err) : resolve(handled)));
      };
      const onConn = (e: Error) => finish(lostError(b0, e, handled));
      const onAbort = () => finish();
      const armIdle = () => {
        if (s.follow) return;
        clearTimeout(idle);
        idle = setTimeout(() => finish(), s.idleMs ?? 1000);
      };
      const onMessage = (topic: string, payload: Buffer, packet: Pick<IPublishPacket, 'qos' | 'retain' | 'properties'>) => {
        chain = chain.then(async () => {
          if (done || handled >= max) return;
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(packet.properties?.userProperties ?? {})) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          const m: ReceivedMessage = {topic, key: null, headers, value: payload, timestamp: null, qos: packet.qos, retain: packet.retain};
          await s.onMessage(m);
          handled += 1;
          if (handled >= max) finish();
          else armIdle();
        }).catch((e) => finish(e));
      };
      lostWaiters.add(onConn);
      s.signal?.addEventListener('abort', onAbort, {once: true});
      client.on('message', onMessage);
      const queued = early ?? [];
      early = undefined;
      client.removeListener('message', onEarly);
      for (const args of queued) onMessage(...args);
      client.subscribeAsync(filter, {qos}).then((granted) => {
        const refused = granted.find((g) => g.qos > 2);
        if (refused) return finish(new DialError('BROKER_ERROR', `MQTT at ${b.address} refused the subscription to '${filter}' (reason code ${refused.qos})`, {hint: 'check the topic filter (+ and # stand for whole levels) and the broker\'s ACLs', exitCode: ExitCode.Failed}));
        armIdle();
      }, (e) => finish(brokerError(b, `subscribe to '${filter}'`, e, 'check the topic filter: + and # stand for whole levels (a/+/c, a/#)')));
    });
  };

  return {
    kind: 'mqtt',
    async publish(p: PublishOptions, messages: OutMessage[]): Promise<PublishResult[]> {
      if (messages.some((m) => m.key != null)) throw usageError('MQTT messages have no key', 'drop --key (or use -H for a user property)');
      if (!p.topic || /[+#\0]/.test(p.topic)) throw usageError(`'${p.topic}' is not an MQTT topic to publish to: + and # are only for subscribing`, 'publish to a concrete topic, e.g. sensors/kitchen/temp');
      const qos = p.qos ?? 0;
      const sends: Promise<unknown>[] = [];
      for (const m of messages) {
        sends.push(client.publishAsync(p.topic, m.value, {qos, retain: Boolean(p.retain), ...(m.headers ? {properties: {userProperties: m.headers}} : {})}));
        if (sends.length >= 1000) await Promise.all(sends.splice(0));
      }
      try {
        // QoS 0 resolves once written to the socket; the graceful disconnect in close() flushes it before the DISCONNECT
        await Promise.all(sends);
      } catch (e) {
        throw lost ? lostError(b, lost, 0) : brokerError(b, `publish to '${p.topic}'`, e);
      }
      return messages.map(() => ({topic: p.topic}));
    },

    subscribe(s: SubscribeOptions): Promise<number> {
      if (!s.topic || s.topic.split('/').some((level, i, all) => (level.includes('#') && (level !== '#' || i !== all.length - 1)) || (level.includes('+') && level !== '+'))) {
        throw usageError(`'${s.topic}' is not an MQTT topic filter: + stands for one whole level, # for all the levels below and only at the end`, 'e.g. sensors/+/temp or sensors/#');
      }
      const filter = s.group ? `$share/${s.group}/${s.topic}` : s.topic;
      if (o.clientId) s.onNote?.(sessionPresent ? `MQTT session '${o.clientId}' resumed: messages kept for it come first` : `MQTT session '${o.clientId}' started: the broker keeps QoS 1/2 messages for it while no dial sub --client-id ${o.clientId} runs`);
      else if (s.fromBeginning) s.onNote?.('MQTT keeps no history: a new subscription gets the retained message of each matching topic, then new messages (--client-id keeps a session that collects them while you are away)');
      return collect(filter, s.qos ?? 0, s);
    },

    async topics(): Promise<TopicsResult> {
      const seen = new Map<string, number>();
      await collect('#', 0, {idleMs: 500, onMessage: (m) => {
        if (m.retain) seen.set(m.topic, m.value.length);
      }});
      return {
        broker: b.address,
        topics: [...seen].sort(([a], [c]) => a.localeCompare(c)).map(([name, bytes]) => ({name, kind: 'retained', messages: 1, bytes})),
        note: 'MQTT brokers keep no list of topics: these are the topics that hold a retained message',
      };
    },

    async close() {
      client.removeAllListeners('close');
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      await client.endAsync().catch(() => undefined);
    },
  };
}

function splitHostPort(hp: string): [string, number] {
  const i = hp.lastIndexOf(':');
  return [hp.slice(0, i).replace(/^\[|\]$/g, ''), Number(hp.slice(i + 1))];
}
