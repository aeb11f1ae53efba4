/** What the broker commands (pub, sub, events, topics) load: client, consumer and input helpers, without the server side. */
import {readFileSync} from 'node:fs';
import {usageError} from '../errors/index.js';
import {parseDurationFlag} from '../util/index.js';
import type {BrokerTls, MessagingClient} from './clients/types.js';
export {openBrokerClient, BrokerClient} from './client.js';
export {consume, type ConsumeEvent, type ConsumeOptions} from './consumer.js';
export {checkName, readPublishData} from './input.js';
export {describeEvent, type ClusterEvent} from './cluster-events.js';
export {EVENTS_TOPIC, type BrokerMessage, type GroupInfo, type TopicInfo} from './types.js';

export interface BrokerFlagValues {broker?: string; cacert?: string; cert?: string; 'cert-key'?: string; servername?: string; insecure?: boolean; 'client-id'?: string; 'session-expiry'?: string; management?: string}

function pem(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw usageError(`--${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'check the path');
  }
}

/** The broker of --broker / DIAL_BROKER (default dial://, the local cluster), connected. */
export async function openMessaging(home: string, f: BrokerFlagValues): Promise<MessagingClient> {
  const {parseBrokerUrl, openMessagingClient} = await import('./clients/index.js');
  const b = parseBrokerUrl(f.broker);
  const tls: BrokerTls = {};
  if (f.cacert) tls.ca = pem('cacert', f.cacert);
  if (f.cert) tls.cert = pem('cert', f.cert);
  if (f['cert-key']) tls.key = pem('cert-key', f['cert-key']);
  if (f.servername) tls.servername = f.servername;
  if (f.insecure) tls.insecure = true;
  if (b.kind === 'dial' && Object.keys(tls).length) throw usageError('TLS flags are for --broker URLs; the local cluster (dial://) is reached as cluster.json says');
  const session = mqttSession(b.kind, f);
  if (f.management !== undefined && b.kind !== 'amqp') throw usageError('--management is RabbitMQ\'s management API, for amqp:// brokers');
  return openMessagingClient(b, {home, tls: Object.keys(tls).length ? tls : undefined, ...session, ...(f.management === undefined ? {} : {management: f.management})});
}

/** --client-id / --session-expiry: an MQTT persistent session (mosquitto_sub -c -i ID -x SECONDS). */
function mqttSession(kind: string, f: BrokerFlagValues): {clientId?: string; sessionExpirySec?: number} {
  if (f['client-id'] === undefined) {
    if (f['session-expiry'] !== undefined) throw usageError('--session-expiry needs --client-id', 'e.g. --client-id sensors-reader --session-expiry 1h');
    return {};
  }
  if (kind !== 'mqtt') throw usageError('--client-id is for MQTT brokers (a persistent session)', 'use --group for a Kafka consumer group, a shared AMQP queue or a NATS queue group');
  const id = f['client-id'];
  if (!id || Buffer.byteLength(id) > 65_535 || id.includes('\0')) throw usageError(`--client-id '${id}' is not an MQTT client identifier`, 'use 1-23 letters and digits for any broker (MQTT 5 brokers accept longer ones)');
  const ms = f['session-expiry'] === undefined ? 3_600_000 : parseDurationFlag('session-expiry', f['session-expiry']);
  return {clientId: id, sessionExpirySec: Math.min(Math.round(ms / 1000), 0xffff_ffff)};
}
