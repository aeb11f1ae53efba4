/**
 * The Registry contract: one suite that every backend (memory, the embedded
 * daemon over Consul's API, etcd, ZooKeeper) must pass. Backends differ only
 * where the store itself differs, and say so in `caps`.
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {Registry, ServiceInstance} from '../../src/registry/index.js';
import {DialError} from '../../src/errors/index.js';

export interface ContractBackend {
  /** Opens a client (called once per suite and again for a second client). */
  open(): Promise<Registry>;
  /** Stops the server, if any. */
  stop?(): Promise<void>;
  caps: {
    /**
     * status: TTL checks turn critical and stay listed (Consul);
     * lease: an expired TTL removes the instance (etcd leases);
     * none: no TTL checks (ZooKeeper: health is the client session).
     */
    ttl: 'status' | 'lease' | 'none';
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Reads a watch until `pred` holds for a snapshot (bounded in time). */
async function watchUntil(iter: AsyncIterator<ServiceInstance[]>, pred: (s: ServiceInstance[]) => boolean, ms = 5000): Promise<ServiceInstance[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) assert.fail('watch did not deliver the expected snapshot in time');
    const r = await Promise.race([iter.next(), sleep(left).then(() => undefined)]);
    if (!r) assert.fail('watch did not deliver the expected snapshot in time');
    if (r.done) assert.fail('watch ended early');
    if (pred(r.value)) return r.value;
  }
}

export function registryContract(label: string, backend: () => Promise<ContractBackend | string>): void {
  describe(`Registry contract: ${label}`, {concurrency: false}, () => {
    let b: ContractBackend;
    let reg: Registry;
    let skip: string | undefined;
    before(async () => {
      const r = await backend();
      if (typeof r === 'string') {
        skip = r;
        return;
      }
      b = r;
      reg = await b.open();
    });
    after(async () => {
      await reg?.close();
      await b?.stop?.();
    });
    const test = (name: string, fn: (t: {skip: (m: string) => void}) => Promise<void>) =>
      it(name, async (t) => {
        if (skip) return t.skip(skip);
        await fn(t);
      });

    test('register and discover: address, port, tags, meta, weights', async () => {
      const id = await reg.register({id: 'c-web-1', name: 'c-web', address: '127.0.0.2', port: 8080, tags: ['v2', 'blue'], meta: {zone: 'a', protocol: 'http'}, weights: {passing: 3, warning: 1}});
      assert.equal(id, 'c-web-1');
      await reg.register({id: 'c-web-2', name: 'c-web', address: '127.0.0.3', port: 8081, tags: ['v1']});
      const all = await until('two instances', async () => {
        const l = await reg.discover('c-web');
        return l.length === 2 && l;
      });
      assert.deepEqual(all.map((i) => i.id), ['c-web-1', 'c-web-2']);
      const w = all[0];
      assert.deepEqual([w.name, w.address, w.port, w.tags, w.meta.zone, w.meta.protocol, w.weights.passing], ['c-web', '127.0.0.2', 8080, ['v2', 'blue'], 'a', 'http', 3]);
      assert.equal(w.status, 'passing', 'an instance without checks is passing');
      assert.deepEqual((await reg.discover('c-web', {tag: 'v1'})).map((i) => i.id), ['c-web-2']);
      assert.deepEqual(await reg.discover('c-nothing'), []);
    });

    test('registering the same ID again replaces the instance', async () => {
      await reg.register({id: 'c-web-2', name: 'c-web', address: '127.0.0.3', port: 9090, tags: ['v3']});
      const l = await until('replaced port', async () => {
        const x = await reg.discover('c-web');
        return x.find((i) => i.id === 'c-web-2')?.port === 9090 && x;
      });
      assert.equal(l.length, 2);
    });

    test('services summarises names, tags and health counts', async () => {
      const s = (await reg.services()).find((x) => x.name === 'c-web');
      assert.ok(s);
      assert.equal(s.instances, 2);
      assert.equal(s.passing, 2);
      assert.deepEqual([...s.tags].sort(), ['blue', 'v2', 'v3']);
    });

    test('deregister removes an instance; an unknown ID is NOT_FOUND', async () => {
      await reg.deregister('c-web-2');
      await until('deregistered', async () => (await reg.discover('c-web')).length === 1);
      await assert.rejects(reg.deregister('c-no-such-id'), (e: DialError) => e.code === 'NOT_FOUND');
    });

    test('TTL check: critical until passed, healthy after pass, out of --healthy after fail', async (t) => {
      if (b.caps.ttl === 'none') return t.skip('this backend has no TTL checks (health is the client session)');
      await reg.register({id: 'c-ttl-1', name: 'c-ttl', address: '127.0.0.1', port: 1, checks: [{ttl: '30s'}]});
      if (b.caps.ttl === 'status') {
        const [i] = await reg.discover('c-ttl');
        assert.equal(i.status, 'critical');
        assert.deepEqual(await reg.discover('c-ttl', {healthy: true}), []);
      }
      await reg.updateCheck('service:c-ttl-1', 'passing', 'all good');
      await until('healthy after pass', async () => (await reg.discover('c-ttl', {healthy: true})).length === 1);
      const checks = await reg.health('c-ttl');
      assert.equal(checks.length, 1);
      assert.deepEqual([checks[0].id, checks[0].status, checks[0].output, checks[0].serviceName, checks[0].serviceId], ['service:c-ttl-1', 'passing', 'all good', 'c-ttl', 'c-ttl-1']);
      await reg.updateCheck('service:c-ttl-1', 'warning', 'slow');
      await until('warning', async () => (await reg.discover('c-ttl'))[0]?.status === 'warning');
      assert.deepEqual(await reg.discover('c-ttl', {healthy: true}), []);
      await reg.updateCheck('service:c-ttl-1', 'critical', 'broken');
      await until('critical', async () => (await reg.discover('c-ttl'))[0]?.status === 'critical');
      await assert.rejects(reg.updateCheck('service:c-no-such', 'passing'), (e: DialError) => e.code === 'NOT_FOUND');
    });

    test('registering an instance again replaces its checks (the registration is its whole definition)', async (t) => {
      if (b.caps.ttl === 'none') return t.skip('this backend has no TTL checks (health is the client session)');
      await reg.register({id: 'c-re-1', name: 'c-re', address: '127.0.0.1', port: 1, checks: [{ttl: '30s'}]});
      await reg.register({id: 'c-re-1', name: 'c-re', address: '127.0.0.1', port: 1, checks: [{id: 'c-re-new', ttl: '30s'}]});
      assert.deepEqual((await reg.health('c-re')).map((c) => c.id), ['c-re-new']);
      await reg.deregister('c-re-1');
    });

    test('TTL expiry: an instance that stops reporting leaves --healthy results', async (t) => {
      if (b.caps.ttl === 'none') return t.skip('this backend has no TTL checks (health is the client session)');
      await reg.register({id: 'c-exp-1', name: 'c-exp', address: '127.0.0.1', port: 1, checks: [{ttl: '1s'}]});
      await reg.updateCheck('service:c-exp-1', 'passing');
      await until('healthy', async () => (await reg.discover('c-exp', {healthy: true})).length === 1);
      await until('expired', async () => (await reg.discover('c-exp', {healthy: true})).length === 0, 6000);
      if (b.caps.ttl === 'status') assert.equal((await reg.discover('c-exp'))[0].status, 'critical');
      else assert.deepEqual(await reg.discover('c-exp'), []);
    });

    test('watchService: the current snapshot at once, then each change', async () => {
      const ac = new AbortController();
      const iter = reg.watchService('c-watch', {signal: ac.signal, waitMs: 10_000})[Symbol.asyncIterator]();
      try {
        await watchUntil(iter, (s) => s.length === 0);
        await reg.register({id: 'c-watch-1', name: 'c-watch', address: '127.0.0.1', port: 7001});
        await watchUntil(iter, (s) => s.map((i) => i.id).join() === 'c-watch-1');
        await reg.register({id: 'c-watch-2', name: 'c-watch', address: '127.0.0.1', port: 7002});
        await watchUntil(iter, (s) => s.length === 2);
        await reg.deregister('c-watch-1');
        await watchUntil(iter, (s) => s.map((i) => i.id).join() === 'c-watch-2');
      } finally {
        ac.abort();
        await iter.return?.();
      }
    });

    test('watchServices sees a new service', async () => {
      const ac = new AbortController();
      const iter = reg.watchServices({signal: ac.signal, waitMs: 10_000})[Symbol.asyncIterator]();
      try {
        const first = await iter.next();
        assert.ok(!first.done && !first.value.some((s) => s.name === 'c-new'));
        await reg.register({id: 'c-new-1', name: 'c-new', address: '127.0.0.1', port: 7003});
        const deadline = Date.now() + 5000;
        for (;;) {
          const r = await Promise.race([iter.next(), sleep(deadline - Date.now()).then(() => undefined)]);
          assert.ok(r && !r.done, 'watchServices delivered nothing in time');
          if (r.value.some((s) => s.name === 'c-new' && s.instances === 1)) break;
        }
      } finally {
        ac.abort();
        await iter.return?.();
      }
    });

    test('a second client sees the first client\'s registrations', async () => {
      const other = await b.open();
      try {
        assert.deepEqual((await other.discover('c-web')).map((i) => i.id), ['c-web-1']);
      } finally {
        await other.close();
      }
    });

    test('kv: put, get, binary values, flags, missing keys', async () => {
      assert.equal(await reg.kv.put('c/app/port', Buffer.from('8080')), true);
      const e = await reg.kv.get('c/app/port');
      assert.equal(e?.value.toString(), '8080');
      assert.ok(e && e.modifyIndex > 0 && e.createIndex > 0);
      const bin = Buffer.from([0, 1, 2, 255, 254, 10]);
      await reg.kv.put('c/app/bin', bin);
      assert.deepEqual((await reg.kv.get('c/app/bin'))?.value, bin);
      await reg.kv.put('c/app/empty', Buffer.alloc(0));
      assert.equal((await reg.kv.get('c/app/empty'))?.value.length, 0);
      assert.equal(await reg.kv.get('c/app/nothing'), undefined);
      await assert.rejects(reg.kv.get('/leading-slash'), (err: DialError) => err.code === 'USAGE');
    });

    test('kv: list by prefix, keys folded at a separator', async () => {
      await reg.kv.put('c/tree/a', Buffer.from('1'));
      await reg.kv.put('c/tree/b/x', Buffer.from('2'));
      await reg.kv.put('c/tree/b/y', Buffer.from('3'));
      await reg.kv.put('c/treehouse', Buffer.from('4'));
      assert.deepEqual((await reg.kv.list('c/tree/')).map((e) => [e.key, e.value.toString()]), [['c/tree/a', '1'], ['c/tree/b/x', '2'], ['c/tree/b/y', '3']]);
      assert.deepEqual(await reg.kv.keys('c/tree/'), ['c/tree/a', 'c/tree/b/x', 'c/tree/b/y']);
      assert.deepEqual(await reg.kv.keys('c/tree/', '/'), ['c/tree/a', 'c/tree/b/']);
      assert.deepEqual(await reg.kv.keys('c/', '/'), ['c/app/', 'c/tree/', 'c/treehouse']);
      assert.deepEqual(await reg.kv.list('c/none/'), []);
    });

    test('kv: check-and-set on put and delete', async () => {
      assert.equal(await reg.kv.put('c/cas', Buffer.from('a'), {cas: 0}), true, 'cas 0 creates a missing key');
      assert.equal(await reg.kv.put('c/cas', Buffer.from('b'), {cas: 0}), false, 'cas 0 fails on an existing key');
      const cur = (await reg.kv.get('c/cas'))!;
      assert.equal(await reg.kv.put('c/cas', Buffer.from('c'), {cas: cur.modifyIndex + 1000}), false);
      assert.equal(await reg.kv.put('c/cas', Buffer.from('c'), {cas: cur.modifyIndex}), true);
      assert.equal((await reg.kv.get('c/cas'))?.value.toString(), 'c');
      const now = (await reg.kv.get('c/cas'))!;
      assert.ok(now.modifyIndex > cur.modifyIndex);
      assert.equal(now.createIndex, cur.createIndex);
      assert.equal(await reg.kv.delete('c/cas', {cas: cur.modifyIndex}), false);
      assert.equal(await reg.kv.delete('c/cas', {cas: now.modifyIndex}), true);
      assert.equal(await reg.kv.get('c/cas'), undefined);
    });

    test('kv: delete one key, and a prefix with recurse', async () => {
      assert.equal(await reg.kv.delete('c/tree/a'), true);
      assert.equal(await reg.kv.delete('c/tree/a'), true, 'deleting a missing key is not an error');
      assert.equal(await reg.kv.delete('c/tree/', {recurse: true}), true);
      assert.deepEqual(await reg.kv.list('c/tree/'), []);
      assert.equal((await reg.kv.get('c/treehouse'))?.value.toString(), '4', 'a sibling outside the prefix stays');
    });
  });
}
