import {Agent} from 'undici';
import {request} from '../util/http-request.js';
import {DialError, ExitCode, unreachableError} from '../errors/index.js';

/** One key/value of an etcd range response (bytes decoded from base64, revisions as numbers). */
export interface EtcdKv {
  key: string;
  value: Buffer;
  createRevision: number;
  modRevision: number;
  lease?: string;
}

interface RawKv {key: string; value?: string; create_revision?: string; mod_revision?: string; lease?: string}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

/** The first key after every key with this prefix (etcd's range_end for a prefix). */
export function prefixEnd(prefix: string): string {
  const b = Buffer.from(prefix);
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i] < 0xff) {
      const out = Buffer.from(b.subarray(0, i + 1));
      out[i]++;
      return out.toString('base64');
    }
  }
  return b64(Buffer.from([0]));
}

/**
 * etcd v3 through its JSON gateway (/v3/...) over undici: kv range/put/
 * deleterange/txn, leases, and the watch stream. Several endpoints fail over
 * in order when one is unreachable. int64 fields stay strings on the wire
 * (lease IDs exceed 2^53).
 */
export class EtcdClient {
  private readonly dispatcher = new Agent({connectTimeout: 3_000, keepAliveTimeout: 10_000});
  private current = 0;

  constructor(readonly hosts: string[], private readonly timeoutMs = 10_000) {}

  get host(): string {
    return this.hosts[this.current];
  }

  /** POSTs to /v3/<path> on the current endpoint, failing over to the next ones when unreachable. */
  async call<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    let lastError: unknown;
    for (let tried = 0; tried < this.hosts.length; tried++) {
      const host = this.host;
      let res;
      try {
        res = await request(`http://${host}/v3/${path}`, {
          method: 'POST', body: JSON.stringify(body), headers: {'content-type': 'application/json'},
          dispatcher: this.dispatcher, signal, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs,
        });
      } catch (e) {
        if (signal?.aborted) throw e;
        lastError = e;
        this.current = (this.current + 1) % this.hosts.length;
        continue;
      }
      const text = await res.body.text();
      let parsed: {error?: string; message?: string} & Record<string, unknown>;
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        throw new DialError('BAD_RESPONSE', `etcd at ${host} sent a non-JSON answer to /v3/${path} (HTTP ${res.statusCode})`, {hint: 'is this an etcd v3 client port (default 2379)?'});
      }
      if (res.statusCode >= 400 || parsed.error) {
        throw new DialError('REGISTRY_ERROR', `etcd at ${host}: ${parsed.message ?? parsed.error ?? `HTTP ${res.statusCode}`}`, {exitCode: ExitCode.Failed, details: {httpStatus: res.statusCode}});
      }
      return parsed as T;
    }
    throw unreachableError(`etcd at ${this.hosts.join(',')}`, lastError, 'check that etcd runs and listens there (etcd --listen-client-urls)');
  }

  async range(key: string, opts: {prefix?: boolean; keysOnly?: boolean} = {}): Promise<EtcdKv[]> {
    const r = await this.call<{kvs?: RawKv[]}>('kv/range', {
      key: b64(key), ...(opts.prefix ? {range_end: prefixEnd(key)} : {}), ...(opts.keysOnly ? {keys_only: true} : {}),
    });
    return (r.kvs ?? []).map((kv) => ({
      key: Buffer.from(kv.key, 'base64').toString(), value: Buffer.from(kv.value ?? '', 'base64'),
      createRevision: Number(kv.create_revision ?? 0), modRevision: Number(kv.mod_revision ?? 0), ...(kv.lease && kv.lease !== '0' ? {lease: kv.lease} : {}),
    }));
  }

  async put(key: string, value: Buffer | string, opts: {lease?: string; ignoreLease?: boolean} = {}): Promise<number> {
    const r = await this.call<{header: {revision: string}}>('kv/put', {
      key: b64(key), value: b64(value), ...(opts.lease ? {lease: opts.lease} : {}), ...(opts.ignoreLease ? {ignore_lease: true} : {}),
    });
    return Number(r.header.revision);
  }

  async deleteRange(key: string, prefix = false): Promise<number> {
    const r = await this.call<{deleted?: string}>('kv/deleterange', {key: b64(key), ...(prefix ? {range_end: prefixEnd(key)} : {})});
    return Number(r.deleted ?? 0);
  }

  /** A transaction guarded by "the key's mod revision equals rev" (0: the key does not exist). */
  async ifModRevision(key: string, rev: number, op: {put?: Buffer; delete?: true}): Promise<boolean> {
    const request = op.put !== undefined ? {request_put: {key: b64(key), value: b64(op.put)}} : {request_delete_range: {key: b64(key)}};
    const r = await this.call<{succeeded?: boolean}>('kv/txn', {
      compare: [{key: b64(key), target: 'MOD', result: 'EQUAL', mod_revision: String(rev)}],
      success: [request],
    });
    return r.succeeded === true;
  }

  async grant(ttlSeconds: number): Promise<{id: string; ttl: number}> {
    const r = await this.call<{ID: string; TTL: string}>('lease/grant', {TTL: String(ttlSeconds)});
    return {id: r.ID, ttl: Number(r.TTL)};
  }

  /** Renews a lease once; false when it no longer exists (expired or revoked). */
  async keepAlive(id: string): Promise<boolean> {
    const r = await this.call<{result?: {TTL?: string}}>('lease/keepalive', {ID: id});
    return Number(r.result?.TTL ?? 0) > 0;
  }

  async revoke(id: string): Promise<void> {
    await this.call('lease/revoke', {ID: id}).catch(() => undefined);
  }

  /**
   * Opens a watch stream on a prefix; calls onEvent for each batch of events.
   * Resolves once etcd confirmed the watch; `done` settles when the stream
   * ends (rejects with UNREACHABLE unless `signal` aborted it).
   */
  async watch(prefix: string, onEvent: () => void, signal: AbortSignal): Promise<{done: Promise<void>}> {
    const host = this.host;
    let res;
    try {
      res = await request(`http://${host}/v3/watch`, {
        method: 'POST', body: JSON.stringify({create_request: {key: b64(prefix), range_end: prefixEnd(prefix)}}),
        headers: {'content-type': 'application/json'}, dispatcher: this.dispatcher, signal, bodyTimeout: 0,
      });
    } catch (e) {
      throw unreachableError(`etcd at ${host}`, e, 'check that etcd runs and listens there');
    }
    let confirmed!: () => void;
    const created = new Promise<void>((r) => (confirmed = r));
    const done = (async () => {
      let buf = '';
      try {
        for await (const chunk of res.body) {
          buf += chunk.toString();
          let nl;
          while ((nl = buf.indexOf('\n')) !== -1) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            const msg = JSON.parse(line) as {result?: {created?: boolean; events?: unknown[]}; error?: unknown};
            if (msg.result?.created) confirmed();
            if (msg.result?.events?.length) onEvent();
          }
        }
      } catch (e) {
        if (signal.aborted) return;
        throw unreachableError(`etcd at ${host}`, e, 'the watch stream broke; check that etcd still runs');
      }
      if (!signal.aborted) throw new DialError('UNREACHABLE', `etcd at ${host} closed the watch stream`, {exitCode: ExitCode.Unreachable, hint: 'check that etcd still runs'});
    })();
    await Promise.race([created, done]);
    return {done};
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
