/** What the broker commands (pub, sub, events, topics) load: client, consumer and input helpers, without the server side. */
import {readFileSync} from 'node:fs';
import {usageError} from '../errors/index.js';
import type {BrokerTls, MessagingClient} from './clients/types.js';
export {openBrokerClient, BrokerClient} from './client.js';
export {consume, type ConsumeEvent, type ConsumeOptions} from './consumer.js';
export {checkName, readPublishData} from './input.js';
export {describeEvent, type ClusterEvent} from './cluster-events.js';
export {EVENTS_TOPIC, type BrokerMessage, type GroupInfo, type TopicInfo} from './types.js';

export interface BrokerFlagValues {broker?: string; cacert?: string; cert?: string; 'tls-key'?: string; servername?: string; insecure?: boolean}

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
  if (f['tls-key']) tls.key = pem('tls-key', f['tls-key']);
  if (f.servername) tls.servername = f.servername;
  if (f.insecure) tls.insecure = true;
  if (b.kind === 'dial' && Object.keys(tls).length) throw usageError('TLS flags are for --broker URLs; the local cluster (dial://) is reached as cluster.json says');
  return openMessagingClient(b, {home, tls: Object.keys(tls).length ? tls : undefined});
}
