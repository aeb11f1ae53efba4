import type {KvEntry} from '../../registry/index.js';

/** A KV entry under --json: the value as text when it is UTF-8, else base64. */
export interface KvEntryJson {
  key: string;
  value: string | null;
  valueBase64?: string;
  flags: number;
  createIndex: number;
  modifyIndex: number;
}

export function kvEntryJson(e: KvEntry): KvEntryJson {
  const text = new TextDecoder('utf-8', {fatal: false}).decode(e.value);
  const isText = Buffer.from(text, 'utf8').equals(e.value);
  return {
    key: e.key, value: isText ? text : null, ...(isText ? {} : {valueBase64: e.value.toString('base64')}),
    flags: e.flags, createIndex: e.createIndex, modifyIndex: e.modifyIndex,
  };
}
