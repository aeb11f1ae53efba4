import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {EtcdRegistry} from '../../src/registry/index.js';
import {startEtcd, type StoreServer} from '../helpers/stores.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('etcd leases: keepAlive renews them while the client lives', () => {
  let srv: StoreServer | string;
  before(async () => {
    srv = await startEtcd();
  });
  after(async () => {
    if (typeof srv !== 'string') await srv.stop();
  });

  it('an instance outlives its TTL while kept alive, and expires after close()', async (t) => {
    if (typeof srv === 'string') return t.skip(srv);
    const hosts = ['127.0.0.1:1', srv.hostPort];
    const owner = new EtcdRegistry('etcd://test', hosts, {keepAlive: true});
    const reader = new EtcdRegistry('etcd://test', [srv.hostPort]);
    try {
      await owner.register({id: 'ka-1', name: 'ka', address: '127.0.0.1', port: 1, checks: [{ttl: '2s'}]});
      await sleep(3500);
      assert.equal((await reader.discover('ka', {healthy: true})).length, 1, 'renewed past its 2s TTL (and failed over from an unreachable first endpoint)');
      await owner.close();
      const t0 = Date.now();
      while ((await reader.discover('ka')).length > 0) {
        assert.ok(Date.now() - t0 < 5000, 'the lease did not expire after the client closed');
        await sleep(100);
      }
    } finally {
      await owner.close().catch(() => undefined);
      await reader.close();
    }
  });
});
