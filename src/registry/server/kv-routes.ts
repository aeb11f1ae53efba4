import {kvKeyProblem} from '../types.js';
import {foldKeys} from '../kv-keys.js';
import {HttpError, type RequestContext, type Router} from './http-kit.js';
import {blockIfAsked} from './routes.js';
import type {Store, StoredKv} from './store.js';

/** Consul's /v1/kv endpoints: get (recurse, keys+separator, raw), put (cas, flags), delete (recurse, cas), blocking. */
export function addKvRoutes(router: Router, store: Store): void {
  router.add('GET', '/v1/kv/*key', async (ctx) => {
    const q = ctx.url.searchParams;
    const key = checkedKey(ctx, true);
    await blockIfAsked(ctx, store);
    if (q.has('keys')) {
      const sep = q.get('separator') || undefined;
      const keys = foldKeys(store.listKvKeys(key), key, sep);
      if (keys.length === 0 && key !== '') throw new HttpError(404, '');
      return keys;
    }
    if (key === '' && !flag(ctx, 'recurse')) throw new HttpError(400, 'Missing key name');
    const entries = flag(ctx, 'recurse') ? store.listKv(key) : [store.getKv(key)].filter((e): e is StoredKv => e !== undefined);
    if (entries.length === 0) throw new HttpError(404, '');
    if (q.has('raw')) {
      const v = entries[0].value;
      ctx.res.writeHead(200, {'content-type': 'application/octet-stream', 'content-length': v.length, 'x-consul-index': String(store.index())});
      ctx.res.end(v);
      return undefined;
    }
    return entries.map(consulEntry);
  });

  router.add('PUT', '/v1/kv/*key', async (ctx) => {
    const key = checkedKey(ctx, false);
    const cas = uintParam(ctx, 'cas');
    const flags = uintParam(ctx, 'flags');
    for (const lock of ['acquire', 'release']) {
      if (ctx.url.searchParams.has(lock)) throw new HttpError(400, `?${lock} (sessions) is not supported by the dial registry`);
    }
    return store.putKv(key, ctx.body, {cas, flags});
  });

  router.add('DELETE', '/v1/kv/*key', async (ctx) => {
    const recurse = flag(ctx, 'recurse');
    const key = checkedKey(ctx, recurse);
    return store.deleteKv(key, {recurse, cas: uintParam(ctx, 'cas')});
  });
}

function consulEntry(e: StoredKv) {
  return {
    LockIndex: 0, Key: e.key, Flags: e.flags, Value: e.value.length ? e.value.toString('base64') : null,
    CreateIndex: e.createIndex, ModifyIndex: e.modifyIndex,
  };
}

function checkedKey(ctx: RequestContext, allowEmpty: boolean): string {
  const key = ctx.params.key ?? '';
  if (key === '' && !allowEmpty) throw new HttpError(400, 'Missing key name');
  const problem = kvKeyProblem(key, true);
  if (problem) throw new HttpError(400, `Invalid key: ${problem}`);
  return key;
}

/** Consul treats a present query flag as true (?recurse, ?recurse=, ?recurse=true), except an explicit false. */
function flag(ctx: RequestContext, name: string): boolean {
  const v = ctx.url.searchParams.get(name);
  return v !== null && v !== 'false' && v !== '0';
}

function uintParam(ctx: RequestContext, name: string): number | undefined {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, `Invalid ${name} "${raw}": must be an unsigned integer`);
  return Number(raw);
}
