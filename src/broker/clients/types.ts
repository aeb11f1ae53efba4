/** The messaging systems `--broker` reaches, by URL scheme. */
export type BrokerKind = 'dial' | 'kafka' | 'amqp' | 'mqtt' | 'nats';

/** A parsed `--broker` URL. */
export interface BrokerUrl {
  kind: BrokerKind;
  /** The URL as given (credentials kept: the client needs them). */
  url: string;
  /** host:port list, for messages (no credentials). */
  address: string;
  /** TLS from the scheme (amqps, mqtts, tls) or from TLS flags. */
  tls: boolean;
}

/** TLS settings from the flags `dial call` has (--cacert, --cert, --key, --servername, --insecure). */
export interface BrokerTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  servername?: string;
  insecure?: boolean;
}

export interface ConnectOptions {
  tls?: BrokerTls;
  /** DIAL_HOME, for the local cluster (dial://). */
  home: string;
  /** Bound on connecting (default 10s). */
  connectTimeoutMs?: number;
  /** MQTT: connect as this client id with a persistent session (clean start off) the broker keeps for `sessionExpirySec`. */
  clientId?: string;
  sessionExpirySec?: number;
  /** AMQP: RabbitMQ's management API (http[s]://host:15672), which lists queues where AMQP cannot; explicit: failing to reach it is an error. */
  management?: string;
}

/** A message to publish: the value is already encoded (text or a codec's bytes). */
export interface OutMessage {
  value: Buffer;
  key?: string | null;
  headers?: Record<string, string>;
}

/** Where and how to publish; each broker reads the options it has. */
export interface PublishOptions {
  /** Topic (Kafka, dial), routing key or queue (AMQP), topic (MQTT), subject (NATS). */
  topic: string;
  /** Kafka / dial: partitions when the topic is created by this publish. */
  partitions?: number;
  /** Kafka: send to this partition instead of by key. */
  partition?: number;
  /** AMQP: publish to this exchange (default: the default exchange, routing key = queue). */
  exchange?: string;
  exchangeType?: 'direct' | 'topic' | 'fanout' | 'headers';
  /** AMQP: the queue's dead-letter exchange, when this publish declares the queue. */
  deadLetterExchange?: string;
  /** MQTT: QoS 0, 1 or 2. */
  qos?: 0 | 1 | 2;
  /** MQTT: the broker keeps the last message for new subscribers. */
  retain?: boolean;
}

/** Where one published message went. */
export interface PublishResult {
  topic: string;
  partition?: number;
  offset?: number;
  exchange?: string;
}

/** One received message, the same shape (`--json`) on every broker; fields a broker lacks are absent. */
export interface ReceivedMessage {
  topic: string;
  partition?: number;
  offset?: number;
  key: string | null;
  headers: Record<string, string>;
  value: Buffer;
  /** ms since epoch (when the broker or the producer stamped it), null when the broker has none. */
  timestamp: number | null;
  /** AMQP */
  exchange?: string;
  queue?: string;
  redelivered?: boolean;
  /** MQTT */
  qos?: 0 | 1 | 2;
  retain?: boolean;
  /** NATS: the subject (also in topic, the field every broker has). */
  subject?: string;
  /** NATS: the reply subject of a request. */
  reply?: string;
}

export interface SubscribeOptions {
  /** Topic (Kafka, dial), queue or binding key with --exchange (AMQP), topic filter (MQTT), subject (NATS). */
  topic: string;
  /** Kafka / dial: consumer group; AMQP: the shared queue bound to --exchange; NATS: queue group; MQTT: $share group. */
  group?: string;
  fromBeginning?: boolean;
  follow?: boolean;
  maxMessages?: number;
  /** Kafka: start at this offset (with partition). */
  offset?: number;
  partition?: number;
  /** Kafka / dial: do not commit offsets. */
  noCommit?: boolean;
  sessionTimeoutMs?: number;
  /** AMQP: the broker acks on delivery (at-most-once). */
  noAck?: boolean;
  /** AMQP: reject each printed message without requeue (it goes to the queue's dead-letter exchange). */
  reject?: boolean;
  prefetch?: number;
  exchange?: string;
  exchangeType?: 'direct' | 'topic' | 'fanout' | 'headers';
  deadLetterExchange?: string;
  qos?: 0 | 1 | 2;
  /** Without --follow, brokers that keep no position (MQTT, NATS, AMQP) stop after this much silence. */
  idleMs?: number;
  signal?: AbortSignal;
  /** Handles one message; the broker is acknowledged (ack, commit) only after it returns. */
  onMessage(m: ReceivedMessage): void | Promise<void>;
  /** Membership and connection news for stderr. */
  onNote?(text: string): void;
}

/** One entry of `dial topics`. */
export interface TopicListing {
  name: string;
  kind: 'topic' | 'queue' | 'stream' | 'retained';
  partitions?: {partition: number; start: number; end: number}[];
  /** Messages held (Kafka/dial: end - start summed; RabbitMQ: ready messages; JetStream: stored). */
  messages?: number;
  bytes?: number;
  consumers?: number;
  subjects?: string[];
}

export interface TopicsResult {
  broker: string;
  topics: TopicListing[];
  /** What the broker cannot tell (e.g. AMQP has no list of queues). */
  note?: string;
}

/** The one interface every broker client implements (src/broker/clients/*.ts). */
export interface MessagingClient {
  readonly kind: BrokerKind;
  publish(opts: PublishOptions, messages: OutMessage[]): Promise<PublishResult[]>;
  /** Resolves with the number of messages handled, when caught up (no --follow), at -n, or on abort. */
  subscribe(opts: SubscribeOptions): Promise<number>;
  /** names: what to look up where the broker cannot list (AMQP queues). */
  topics(names?: string[]): Promise<TopicsResult>;
  close(): Promise<void>;
}
