/**
 * The registry commands against real etcd and ZooKeeper servers selected by
 * --registry URL: the same CLI, other stores.
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {outputIncludes, runDial, startDial, tempHome} from '../helpers/cli.js';
import {startEtcd, startZookeeper, type StoreServer} from '../helpers/stores.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


describe('registry commands on etcd (--registry etcd://)', {concurrency: false}, () => {
  let srv: StoreServer | string;
  const home = tempHome();
  let url: string;
  const dial = (args: string[], input?: string) => runDial([...args, '--registry', url], {home, input});
  before(async () => {
    srv = await startEtcd();
    if (typeof srv !== 'string') url = `etcd://${srv.hostPort}`;
  });
  after(async () => {
    if (typeof srv !== 'string') await srv.stop();
  });

  it('register with a TTL lease, discover, health, check pass, services, wait, deregister', async (t) => {
    if (typeof srv === 'string') return t.skip(srv);
    const r = await dial(['register', 'api', '--port', '9000', '--id', 'api-1', '--tag', 'v1', '--check-ttl', '30s', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await dial(['register', 'api', '--port', '9001', '--id', 'api-2'])).code, 0);
    const d = (await dial(['discover', 'api', '--json'])).json<{instances: {id: string; port: number; status: string}[]}>();
    assert.deepEqual(d.instances.map((i) => [i.id, i.port, i.status]), [['api-1', 9000, 'passing'], ['api-2', 9001, 'passing']]);
    assert.equal((await dial(['discover', 'api', '--tag', 'v1', '--format', 'addrs'])).stdout, '127.0.0.1:9000\n');
    assert.equal((await dial(['check', 'warn', 'service:api-1', '--note', 'slow'])).code, 0);
    assert.match((await dial(['health', 'api'])).stdout, /api-1\s+service:api-1\s+ttl\s+warning\s+slow/);
    assert.match((await dial(['services'])).stdout, /api\s+v1\s+2\s+1\s+1\s+0/);
    assert.equal((await dial(['wait', 'api', '--healthy', '--count', '1', '--timeout', '5s'])).code, 0);
    const http = await dial(['register', 'x', '--port', '1', '--check-http', 'http://127.0.0.1:1/']);
    assert.equal(http.code, 2);
    assert.match(http.stderr, /TTL checks only/);
    assert.equal((await dial(['deregister', 'api-1'])).code, 0);
    assert.equal((await dial(['deregister', 'api-1'])).code, 1);
  });

  it('kv put/get/list/delete with --cas and --recurse', async (t) => {
    if (typeof srv === 'string') return t.skip(srv);
    assert.equal((await dial(['kv', 'put', 'cfg/a', '1'])).code, 0);
    assert.equal((await dial(['kv', 'put', 'cfg/b/c'], 'from stdin')).code, 0);
    assert.equal((await dial(['kv', 'get', 'cfg/b/c'])).stdout, 'from stdin\n');
    assert.deepEqual((await dial(['kv', 'list', 'cfg/'])).stdout.split('\n').filter(Boolean), ['cfg/a', 'cfg/b/']);
    const e = (await dial(['kv', 'get', 'cfg/a', '--json'])).json<{modifyIndex: number}>();
    assert.equal((await dial(['kv', 'put', 'cfg/a', '2', '--cas', String(e.modifyIndex + 99)])).code, 1);
    assert.equal((await dial(['kv', 'put', 'cfg/a', '2', '--cas', String(e.modifyIndex)])).code, 0);
    assert.equal((await dial(['kv', 'delete', 'cfg/', '--recurse'])).code, 0);
    assert.deepEqual((await dial(['kv', 'list', '--recurse', '--json'])).json<{keys: string[]}>().keys, []);
  });

  it('watch streams changes from the etcd watch, and exits 3 when etcd goes away', {timeout: 90_000}, async (t) => {
    if (typeof srv === 'string') return t.skip(srv);
    const w = startDial(t, ['watch', 'web', '--json', '--registry', url], {home});
    await outputIncludes(w, 'watching');
    await dial(['register', 'web', '--port', '80', '--id', 'web-1']);
    await outputIncludes(w, '"added"', 'out');
    await srv.stop();
    assert.equal(await w.exited, 3, w.err());
    const lines = w.out().trim().split('\n').map((l) => JSON.parse(l) as {event?: string; error?: {code: string}});
    assert.deepEqual(lines.map((l) => l.event ?? l.error?.code), ['added', 'UNREACHABLE'], 'NDJSON events, then the error as one line');
    assert.match(w.err(), /etcd/);
  });
});

describe('registry commands on ZooKeeper (--registry zk://)', {concurrency: false}, () => {
  let srv: StoreServer | string;
  const home = tempHome();
  let url: string;
  const dial = (args: string[]) => runDial([...args, '--registry', url], {home});
  before(async () => {
    srv = await startZookeeper();
    if (typeof srv !== 'string') url = `zk://${srv.hostPort}`;
  });
  after(async () => {
    if (typeof srv !== 'string') await srv.stop();
  });

  it('register holds an ephemeral znode until Ctrl-C; discover and watch see it come and go', {timeout: 90_000}, async (t) => {
    if (typeof srv === 'string') return t.skip(srv);
    const w = startDial(t, ['watch', 'cache', '--json', '--timeout', '30s', '--registry', url], {home});
    await outputIncludes(w, 'watching');
    const reg = startDial(t, ['register', 'cache', '--port', '6379', '--id', 'cache-1', '--registry', url], {home});
    const deadline = Date.now() + 10_000;
    while (!reg.out().includes('registered cache-1')) {
      assert.ok(Date.now() < deadline, `register did not report: ${reg.err()}`);
      await sleep(100);
    }
    assert.match(reg.err(), /keeps the registration while this process runs/);
    const d = (await dial(['discover', 'cache', '--json'])).json<{instances: {id: string; status: string; checks: {type: string}[]}[]}>();
    assert.deepEqual(d.instances.map((i) => [i.id, i.status, i.checks[0].type]), [['cache-1', 'passing', 'session']]);
    assert.match((await dial(['services'])).stdout, /cache\s+-\s+1\s+1/);
    reg.child.kill('SIGINT');
    assert.equal(await reg.exited, 130);
    assert.deepEqual((await dial(['discover', 'cache', '--json'])).json<{instances: unknown[]}>().instances, []);
    await outputIncludes(w, '"removed"', 'out');
    w.child.kill('SIGINT');
    await w.exited;
    const events = w.out().trim().split('\n').map((l) => (JSON.parse(l) as {event: string}).event);
    // The watch and the registration start together: the instance shows up as
    // 'present' in the watch's first snapshot or as 'added' after it.
    assert.ok(['added', 'present'].includes(events[0]), `first event ${events[0]}`);
    assert.deepEqual(events.slice(1), ['removed']);
  });

  it('a held registration notices a deregistration from elsewhere (its znode is watched), says so and exits 0', {timeout: 60_000}, async (t) => {
    if (typeof srv === 'string') return t.skip(srv);
    const reg = startDial(t, ['register', 'cache', '--port', '6380', '--id', 'c1', '--registry', url], {home});
    await outputIncludes(reg, 'keeps the registration');
    assert.deepEqual((await dial(['discover', 'cache', '--json'])).json<{instances: {id: string}[]}>().instances.map((i) => i.id), ['c1']);
    assert.equal((await dial(['deregister', 'c1'])).code, 0);
    const code = await Promise.race([reg.exited, sleep(10_000).then(() => 'still holding')]);
    assert.equal(code, 0, reg.err());
    assert.match(reg.err(), /c1 was deregistered by another client \(its registration is gone\): nothing left to hold, exiting/);
    assert.deepEqual((await dial(['discover', 'cache', '--json'])).json<{instances: unknown[]}>().instances, []);
  });

  it('kv on znodes: put, get, list, --cas, delete; TTL checks are refused', async (t) => {
    if (typeof srv === 'string') return t.skip(srv);
    assert.equal((await dial(['kv', 'put', 'conf/x.y', 'v1'])).code, 0);
    assert.equal((await dial(['kv', 'put', 'conf/x.y', 'nope', '--cas', '0'])).code, 1);
    const e = (await dial(['kv', 'get', 'conf/x.y', '--json'])).json<{value: string; modifyIndex: number}>();
    assert.equal(e.value, 'v1');
    assert.equal((await dial(['kv', 'put', 'conf/x.y', 'v2', '--cas', String(e.modifyIndex)])).code, 0);
    assert.deepEqual((await dial(['kv', 'list', '--recurse', '--json'])).json<{keys: string[]}>().keys, ['conf/x.y']);
    assert.equal((await dial(['kv', 'delete', 'conf/x.y'])).code, 0);
    const ttl = await dial(['check', 'pass', 'service:x']);
    assert.equal(ttl.code, 1);
    assert.match(ttl.stderr, /no TTL checks/);
  });
});
