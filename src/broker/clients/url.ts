import {usageError} from '../../errors/index.js';
import type {BrokerKind, BrokerUrl} from './types.js';

const SCHEMES: Record<string, {kind: BrokerKind; tls: boolean; port: number}> = {
  'dial:': {kind: 'dial', tls: false, port: 0},
  'kafka:': {kind: 'kafka', tls: false, port: 9092},
  'kafkas:': {kind: 'kafka', tls: true, port: 9093},
  'amqp:': {kind: 'amqp', tls: false, port: 5672},
  'amqps:': {kind: 'amqp', tls: true, port: 5671},
  'mqtt:': {kind: 'mqtt', tls: false, port: 1883},
  'mqtts:': {kind: 'mqtt', tls: true, port: 8883},
  'nats:': {kind: 'nats', tls: false, port: 4222},
  'tls:': {kind: 'nats', tls: true, port: 4222},
};

export const BROKER_SCHEMES = Object.keys(SCHEMES).map((s) => s.slice(0, -1));

/** What each kind is called in messages. */
export const BROKER_NAMES: Record<BrokerKind, string> = {dial: 'the local cluster\'s broker', kafka: 'Kafka', amqp: 'RabbitMQ (AMQP)', mqtt: 'MQTT', nats: 'NATS'};

/**
 * Parses `--broker`: `dial://` (the local cluster), `kafka://h:9092[,h2:9092]`,
 * `amqp[s]://user:pass@h:5672/vhost`, `mqtt[s]://h:1883`, `nats://h:4222` or `tls://h:4222`.
 */
export function parseBrokerUrl(raw: string | undefined): BrokerUrl {
  const text = raw?.trim() || 'dial://';
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(text)?.[1]?.toLowerCase();
  const spec = scheme ? SCHEMES[scheme] : undefined;
  if (!spec) {
    throw usageError(`--broker '${text}' is not a broker URL`, `use one of ${BROKER_SCHEMES.map((s) => `${s}://`).join(', ')} (e.g. kafka://127.0.0.1:9092, amqp://guest:guest@127.0.0.1:5672/, mqtt://127.0.0.1:1883, nats://127.0.0.1:4222)`);
  }
  if (spec.kind === 'dial') return {kind: 'dial', url: text, address: 'local cluster', tls: false};
  const rest = text.slice(scheme!.length + 2);
  const authEnd = rest.search(/[/?#]/);
  const authority = authEnd === -1 ? rest : rest.slice(0, authEnd);
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  if (!hosts) throw usageError(`--broker '${text}' names no host`, `e.g. ${scheme}//127.0.0.1:${spec.port}`);
  const address = hosts.split(',').map((h) => (/:\d+$/.test(h) || h.endsWith(']') ? h : `${h}:${spec.port}`)).join(',');
  for (const h of address.split(',')) {
    const port = Number(/:(\d+)$/.exec(h)?.[1]);
    if (!h.replace(/:\d+$/, '') || !(port > 0 && port < 65536)) throw usageError(`--broker '${text}': '${h}' is not HOST:PORT`, `e.g. ${scheme}//127.0.0.1:${spec.port}`);
  }
  return {kind: spec.kind, url: text, address, tls: spec.tls};
}

/** The user and password in a broker URL (decoded), if any. */
export function urlCredentials(url: string): {username?: string; password?: string} {
  try {
    const u = new URL(url.replace(/^[a-z]+:/i, 'http:').replace(/,[^/@]*/, ''));
    return {username: u.username ? decodeURIComponent(u.username) : undefined, password: u.password ? decodeURIComponent(u.password) : undefined};
  } catch {
    return {};
  }
}
