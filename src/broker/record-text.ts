import {isUtf8} from 'node:buffer';
import Decoder from 'kafkajs/src/protocol/decoder.js';
import Encoder from 'kafkajs/src/protocol/encoder.js';
import type {PendingAppend} from './log-store.js';
import type {BrokerMessage, Header, OutgoingMessage, StoredRecord} from './types.js';

/** Headers in Kafka's record encoding: varint count, then per header varint-length name and value (-1: null). */
export function encodeHeaders(headers: Header[]): Buffer | null {
  if (headers.length === 0) return null;
  const e = new Encoder().writeVarInt(headers.length);
  for (const [name, value] of headers) e.writeVarIntString(name).writeVarIntBytes(value);
  return e.buffer;
}

export function decodeHeaders(buf: Buffer | null): Header[] {
  if (!buf) return [];
  const d = new Decoder(buf);
  const n = d.readVarInt();
  const out: Header[] = [];
  for (let i = 0; i < n; i++) out.push([d.readVarIntString() ?? '', d.readVarIntBytes()]);
  return out;
}

/** What the HTTP API publishes, as bytes: text becomes its UTF-8. */
export function textToAppend(topic: string, partition: number, m: OutgoingMessage): PendingAppend {
  return {
    topic, partition,
    key: m.key === null || m.key === undefined ? null : Buffer.from(m.key),
    value: Buffer.from(m.value),
    headers: m.headers ? encodeHeaders(Object.entries(m.headers).map(([k, v]) => [k, Buffer.from(v)])) : null,
  };
}

/**
 * A stored record as the HTTP API delivers it: UTF-8 bytes as text (so what
 * `dial pub` wrote reads back as it was), anything else as base64, named in
 * `binary`. Of repeated header names the last wins (Kafka's lastHeader).
 */
export function recordToText(topic: string, r: StoredRecord): BrokerMessage {
  const binary: string[] = [];
  const text = (b: Buffer, field: string) => {
    if (isUtf8(b)) return b.toString('utf8');
    binary.push(field);
    return b.toString('base64');
  };
  const m: BrokerMessage = {topic, partition: r.partition, offset: r.offset, key: r.key === null ? null : text(r.key, 'key'), value: r.value === null ? '' : text(r.value, 'value'), timestamp: r.timestamp};
  if (r.headers) {
    const headers: Record<string, string> = {};
    for (const [name, value] of decodeHeaders(r.headers)) headers[name] = value === null ? '' : text(value, `headers.${name}`);
    m.headers = headers;
  }
  if (r.value === null) m.nullValue = true;
  if (binary.length) m.binary = [...new Set(binary)];
  return m;
}
