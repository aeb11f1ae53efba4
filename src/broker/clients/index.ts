/** dial pub / sub / topics on any broker: one MessagingClient per broker, each module loaded only when its scheme is used. */
import {connectError} from './errors.js';
import type {BrokerUrl, ConnectOptions, MessagingClient} from './types.js';

export {parseBrokerUrl, urlCredentials, BROKER_SCHEMES, BROKER_NAMES} from './url.js';
export {connectError, brokerError, lostError} from './errors.js';
export {valueCodec, type ValueCodec} from './values.js';
export type * from './types.js';

const OPENERS: Record<BrokerUrl['kind'], () => Promise<(b: BrokerUrl, o: ConnectOptions) => Promise<MessagingClient>>> = {
  dial: async () => (await import('./dial.js')).openDial,
  kafka: async () => (await import('./kafka.js')).openKafka,
  amqp: async () => (await import('./amqp.js')).openAmqp,
  mqtt: async () => (await import('./mqtt.js')).openMqtt,
  nats: async () => (await import('./nats.js')).openNats,
};

/** Connects to the broker of `b`; exit 3 (names the address) when it cannot be reached, exit 1 with the broker's reason when it refuses. */
export async function openMessagingClient(b: BrokerUrl, opts: ConnectOptions): Promise<MessagingClient> {
  const open = await OPENERS[b.kind]();
  try {
    return await open(b, opts);
  } catch (e) {
    throw connectError(b, e);
  }
}
