import {checkKvKey} from './kv-keys.js';
import type {HttpClient} from './http-client.js';
import type {KvDeleteOptions, KvEntry, KvPutOptions, KvStore} from './types.js';

interface ConsulKvEntry {
  Key: string;
  Value: string | null;
  Flags: number;
  CreateIndex: number;
  ModifyIndex: number;
  LockIndex?: number;
}

/** Consul's /v1/kv endpoints (embedded daemon or a real agent). */
export class ConsulKv implements KvStore {
  constructor(private readonly http: HttpClient) {}

  async get(key: string): Promise<KvEntry | undefined> {
    checkKvKey(key);
    const {body} = await this.http.send<ConsulKvEntry[]>('GET', kvPath(key), {allow404: true});
    return body?.[0] ? fromConsul(body[0]) : undefined;
  }

  async list(prefix: string): Promise<KvEntry[]> {
    checkKvKey(prefix, true);
    const {body} = await this.http.send<ConsulKvEntry[]>('GET', kvPath(prefix), {query: {recurse: true}, allow404: true});
    return (body ?? []).map(fromConsul);
  }

  async keys(prefix: string, separator?: string): Promise<string[]> {
    checkKvKey(prefix, true);
    const {body} = await this.http.send<string[]>('GET', kvPath(prefix), {query: {keys: true, separator}, allow404: true});
    return body ?? [];
  }

  async put(key: string, value: Buffer, opts: KvPutOptions = {}): Promise<boolean> {
    checkKvKey(key);
    const {body} = await this.http.send<boolean>('PUT', kvPath(key), {raw: value, query: {cas: opts.cas, flags: opts.flags}});
    return body === true;
  }

  async delete(key: string, opts: KvDeleteOptions = {}): Promise<boolean> {
    checkKvKey(key, Boolean(opts.recurse));
    const {body} = await this.http.send<boolean>('DELETE', kvPath(key), {query: {recurse: opts.recurse, cas: opts.cas}});
    return body === true;
  }
}

function kvPath(key: string): string {
  return `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function fromConsul(e: ConsulKvEntry): KvEntry {
  return {
    key: e.Key, value: e.Value ? Buffer.from(e.Value, 'base64') : Buffer.alloc(0), flags: e.Flags ?? 0,
    createIndex: e.CreateIndex, modifyIndex: e.ModifyIndex,
  };
}
