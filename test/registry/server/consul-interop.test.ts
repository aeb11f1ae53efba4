/**
 * The embedded registry against the real `consul` npm client (v2) and plain
 * HTTP (what curl users send): agent, catalog, health, KV and blocking
 * queries must work unchanged.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import Consul from 'consul';
import {RegistryServer} from '../../../src/registry/server/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The consul client's error for an HTTP status, checked on the agent's own text (the client shortens long messages). */
const agentError = (status: number, text: RegExp) => (e: {response?: {statusCode: number; body: unknown}}) =>
  e.response?.statusCode === status && text.test(String(e.response.body));

type CheckRegistration = Parameters<Consul['agent']['check']['register']>[0];
/** agent.check.register: the client's types call the ID option `checkid` and require `timeout`; its code sends `id` as ID, and timeout only with an interval. */
const checkOptions = (opts: Record<string, unknown>) => ({timeout: '1s', ...opts}) as unknown as CheckRegistration;

describe('embedded registry: the consul npm client and curl-style HTTP', {concurrency: false}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dial-interop-'));
  let server: RegistryServer;
  let consul: Consul;
  let base: string;
  let target: Server;
  let targetStatus = 200;
  let targetPort: number;

  before(async () => {
    server = new RegistryServer({dbPath: join(dir, 'state.db')});
    const {port} = await server.listen();
    base = `http://127.0.0.1:${port}`;
    consul = new Consul({host: '127.0.0.1', port});
    target = createServer((_req, res) => {
      res.writeHead(targetStatus);
      res.end(`status ${targetStatus}`);
    }).listen(0, '127.0.0.1');
    await new Promise((r) => target.once('listening', r));
    targetPort = (target.address() as {port: number}).port;
  });
  after(async () => {
    target.close();
    await server.close();
    rmSync(dir, {recursive: true, force: true});
  });

  it('agent.service.register / agent.service.list / catalog / health with passing', async () => {
    await consul.agent.service.register({name: 'api', id: 'api-1', address: '127.0.0.1', port: 9001, tags: ['v1'], meta: {zone: 'a'}, check: {name: 'api ttl', ttl: '30s', timeout: '1s'}});
    await consul.agent.service.register({name: 'api', id: 'api-2', address: '127.0.0.1', port: 9002, tags: ['v2']});
    const list = await consul.agent.service.list();
    assert.deepEqual(Object.keys(list).sort(), ['api-1', 'api-2']);
    assert.equal(list['api-1'].Meta.zone, 'a');
    const services = await consul.catalog.service.list();
    assert.deepEqual(services.api.sort(), ['v1', 'v2']);
    const nodes = await consul.catalog.service.nodes({service: 'api', tag: 'v2'});
    assert.deepEqual(nodes.map((n: {ServiceID: string}) => n.ServiceID), ['api-2']);
    const all = await consul.health.service('api');
    assert.equal(all.length, 2);
    const passing = await consul.health.service({service: 'api', passing: true});
    assert.deepEqual(passing.map((e: {Service: {ID: string}}) => e.Service.ID), ['api-2'], 'the TTL check starts critical');
  });

  it('agent.check.pass/warn/fail drive a TTL check; agent.check.list shows it', async () => {
    await consul.agent.check.pass({id: 'service:api-1', note: 'ok'});
    let passing = await consul.health.service({service: 'api', passing: true});
    assert.equal(passing.length, 2);
    await consul.agent.check.warn('service:api-1');
    passing = await consul.health.service({service: 'api', passing: true});
    assert.equal(passing.length, 1);
    await consul.agent.check.fail({id: 'service:api-1', note: 'down'});
    const checks = await consul.agent.check.list();
    assert.equal(checks['service:api-1'].Status, 'critical');
    assert.equal(checks['service:api-1'].Output, 'down');
    const hc = await consul.health.checks('api');
    assert.equal(hc.length, 1);
    await assert.rejects(consul.agent.check.pass('service:nope'), /Unknown check/);
  });

  it('agent.check.register binds an HTTP check to an instance (2xx passing, 429 warning, else critical); agent.check.deregister removes it', async () => {
    await consul.agent.service.register({name: 'web', id: 'web-1', address: '127.0.0.1', port: targetPort});
    await consul.agent.check.register(checkOptions({
      name: 'web http', id: 'web-1-http', serviceid: 'web-1', notes: 'GET /health',
      http: `http://127.0.0.1:${targetPort}/health`, interval: '100ms', timeout: '1s',
    }));
    const check = async () => (await consul.health.checks('web')).find((c: {CheckID: string}) => c.CheckID === 'web-1-http') as {Status: string; ServiceID: string; Notes: string; Type: string} | undefined;
    const until = async (want: string) => {
      const deadline = Date.now() + 3000;
      while ((await check())?.Status !== want) {
        if (Date.now() > deadline) assert.fail(`check never became ${want} (is ${(await check())?.Status})`);
        await sleep(50);
      }
    };
    const passingIds = async () => (await consul.health.service({service: 'web', passing: true})).map((e: {Service: {ID: string}}) => e.Service.ID);
    await until('passing');
    assert.deepEqual([(await check())?.ServiceID, (await check())?.Notes, (await check())?.Type], ['web-1', 'GET /health', 'http']);
    assert.deepEqual(await passingIds(), ['web-1']);
    targetStatus = 429;
    await until('warning');
    assert.deepEqual(await passingIds(), [], 'a warning check takes the instance out of ?passing');
    targetStatus = 503;
    await until('critical');
    targetStatus = 200;
    await until('passing');
    // Re-registering the instance (without ?replace-existing-checks) keeps the check, as Consul does.
    await consul.agent.service.register({name: 'web', id: 'web-1', address: '127.0.0.1', port: targetPort});
    assert.equal((await consul.agent.check.list())['web-1-http']?.ServiceID, 'web-1');
    await consul.agent.check.deregister('web-1-http');
    assert.equal(await check(), undefined);
    assert.equal((await consul.agent.check.list())['web-1-http'], undefined);
    await assert.rejects(consul.agent.check.deregister('web-1-http'), agentError(404, /Unknown check ID "web-1-http"/));
    await assert.rejects(consul.agent.check.register(checkOptions({name: 'orphan', serviceid: 'no-such-instance', ttl: '10s'})), agentError(404, /ServiceID "no-such-instance" does not exist/));
    assert.equal((await consul.agent.check.list()).orphan, undefined);
  });

  it('agent.check.register without ServiceID: the ID defaults to the Name; a node check counts for every instance', async () => {
    await consul.agent.check.register(checkOptions({name: 'maintenance', ttl: '30s', status: 'passing'}));
    const c = (await consul.agent.check.list()).maintenance as {CheckID: string; ServiceID: string; Status: string; Type: string};
    assert.deepEqual([c.CheckID, c.ServiceID, c.Status, c.Type], ['maintenance', '', 'passing', 'ttl']);
    const passing = async () => (await consul.health.service({service: 'web', passing: true})).map((e: {Service: {ID: string}}) => e.Service.ID);
    assert.deepEqual(await passing(), ['web-1']);
    await consul.agent.check.fail({id: 'maintenance', note: 'down for maintenance'});
    assert.deepEqual(await passing(), [], 'a critical node check makes every instance unhealthy');
    const entry = (await consul.health.service('web'))[0] as {Checks: {CheckID: string}[]};
    assert.ok(entry.Checks.some((x) => x.CheckID === 'maintenance'), 'health/service lists node checks with each instance');
    await consul.agent.check.deregister('maintenance');
    assert.deepEqual(await passing(), ['web-1']);
    const missing = await fetch(`${base}/v1/agent/check/register`, {method: 'PUT', body: JSON.stringify({TTL: '10s'})});
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /Missing check name/);
  });

  it('DeregisterCriticalServiceAfter of a registered check removes its instance once it stayed critical that long', async () => {
    await consul.agent.service.register({name: 'reaped', id: 'reaped-1', port: 1});
    await consul.agent.check.register(checkOptions({name: 'reaped ttl', serviceid: 'reaped-1', ttl: '10s', deregistercriticalserviceafter: '300ms'}));
    const t0 = Date.now();
    while ((await consul.agent.service.list())['reaped-1']) {
      assert.ok(Date.now() - t0 < 4000, 'the critical instance was not removed within 4s');
      await sleep(100);
    }
    assert.equal((await consul.agent.check.list())['reaped ttl'], undefined, 'its checks go with it');
  });

  it('curl-style JSON is decoded as Consul does: field names in any case, snake_case aliases; unknown fields and unitless durations are 400s', async () => {
    const put = (path: string, body: unknown) => fetch(`${base}${path}`, {method: 'PUT', body: JSON.stringify(body)});
    const ok = await put('/v1/agent/service/register', {
      name: 'lower', id: 'lower-1', port: 8081, tags: ['a'], meta: {Zone: 'x'}, weights: {passing: 2},
      check: {ttl: '15s', deregister_critical_service_after: '1m', status: 'passing', notes: 'n'},
    });
    assert.equal(ok.status, 200, await ok.text());
    const svc = (await (await fetch(`${base}/v1/agent/service/lower-1`)).json()) as {Service: string; Port: number; Tags: string[]; Meta: Record<string, string>; Weights: {Passing: number}};
    assert.deepEqual([svc.Service, svc.Port, svc.Tags, svc.Meta, svc.Weights.Passing], ['lower', 8081, ['a'], {Zone: 'x'}, 2], 'Meta keys are data: their case stays');
    const checks = (await (await fetch(`${base}/v1/agent/checks`)).json()) as Record<string, {Status: string; Notes: string; Definition: {DeregisterCriticalServiceAfter?: string}}>;
    const c = checks['service:lower-1'];
    assert.deepEqual([c.Status, c.Notes, c.Definition.DeregisterCriticalServiceAfter], ['passing', 'n', '1m']);
    assert.equal((await put('/v1/agent/service/register', {NAME: 'upper', Id: 'upper-1', pOrT: 1})).status, 200);
    assert.equal(((await (await fetch(`${base}/v1/agent/service/upper-1`)).json()) as {Service: string}).Service, 'upper');

    const unknown = await put('/v1/agent/service/register', {name: 'x', colour: 'blue'});
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /unknown field 'colour'/);
    const unknownCheck = await put('/v1/agent/check/register', {name: 'x', ttl: '1s', colour: 'red'});
    assert.equal(unknownCheck.status, 400);
    assert.match(await unknownCheck.text(), /unknown check field 'colour'/);

    for (const good of ['10s', '1m30s', '500ms', '1.5h']) {
      const r = await put('/v1/agent/service/register', {Name: 'dur', ID: 'dur-1', Check: {TTL: good}});
      assert.equal(r.status, 200, `TTL ${good}: ${await r.text()}`);
    }
    for (const [field, bad] of [['TTL', '15'], ['TTL', '1.5'], ['TTL', '10 s'], ['TTL', '0'], ['Interval', '5'], ['Timeout', '1'], ['DeregisterCriticalServiceAfter', '60']]) {
      const check = field === 'TTL' ? {TTL: bad} : {TCP: '127.0.0.1:1', Interval: '1s', [field]: bad};
      const r = await put('/v1/agent/service/register', {Name: 'dur', ID: 'dur-1', Check: check});
      assert.equal(r.status, 400, `${field} ${bad}`);
      assert.match(await r.text(), new RegExp(`${field} '${bad}'|${field} must be more than 0`));
    }
    const unitless = await put('/v1/agent/check/register', {Name: 'c', TTL: '15'});
    assert.equal(unitless.status, 400);
    assert.match(await unitless.text(), /TTL '15' is not a duration \(missing unit\)/);
    const wait = await fetch(`${base}/v1/catalog/services?index=1&wait=5`);
    assert.equal(wait.status, 400, 'a blocking wait without a unit is refused as Consul refuses it');
  });

  it('kv.set / kv.get / kv.keys / kv.del with recurse, cas, raw and flags', async () => {
    type Item = {Key: string; Value: string; Flags: number; ModifyIndex: number};
    // The client's types say GetItem | GetItem[] | null; the shapes below are what it returns for each call.
    const getOne = async (key: string) => (await consul.kv.get(key)) as unknown as Item;
    const getAll = async (key: string) => (await consul.kv.get({key, recurse: true})) as unknown as Item[] | undefined;
    assert.equal(await consul.kv.set('app/config/port', '8080'), true);
    assert.equal(await consul.kv.set({key: 'app/config/host', value: 'localhost', flags: 42}), true);
    await consul.kv.set('app/name', 'demo');
    const one = await getOne('app/config/port');
    assert.equal(one.Value, '8080');
    assert.equal(one.Key, 'app/config/port');
    assert.equal((await getOne('app/config/host')).Flags, 42);
    const all = await getAll('app/');
    assert.deepEqual(all?.map((e) => e.Key), ['app/config/host', 'app/config/port', 'app/name']);
    assert.deepEqual(await consul.kv.keys('app/'), ['app/config/host', 'app/config/port', 'app/name']);
    assert.deepEqual(await consul.kv.keys({key: 'app/', separator: '/'}), ['app/config/', 'app/name']);
    const raw = await consul.kv.get({key: 'app/name', raw: true});
    assert.equal(Buffer.from(raw as unknown as Buffer).toString(), 'demo');
    assert.equal(await consul.kv.get('app/missing'), undefined);
    // The server answers `false`; the consul client turns a false body into undefined (as with a real agent).
    assert.ok(!(await consul.kv.set({key: 'app/name', value: 'x', cas: one.ModifyIndex + 100})));
    const cur = await getOne('app/name');
    assert.equal(await consul.kv.set({key: 'app/name', value: 'y', cas: cur.ModifyIndex}), true);
    assert.equal(await consul.kv.set({key: 'app/new', value: 'z', cas: 0}), true);
    assert.ok(!(await consul.kv.set({key: 'app/new', value: 'z', cas: 0})));
    assert.equal((await getOne('app/name')).Value, 'y');
    await consul.kv.del('app/new');
    assert.equal(await consul.kv.get('app/new'), undefined);
    await consul.kv.del({key: 'app/', recurse: true});
    assert.deepEqual(await getAll('app/'), undefined);
  });

  it('consul.watch (blocking queries) sees a KV change and a new instance', async () => {
    const seen: string[] = [];
    const kvWatch = consul.watch({method: consul.kv.get, options: {key: 'watched', wait: '5s'}});
    const svcWatch = consul.watch({method: consul.health.service, options: {service: 'late', wait: '5s'}});
    try {
      const kvChanged = new Promise<void>((resolve) => kvWatch.on('change', (data: {Value?: string} | undefined) => {
        if (data?.Value === 'v2') resolve();
      }));
      const svcChanged = new Promise<void>((resolve) => svcWatch.on('change', (data: unknown[]) => {
        seen.push(String(data.length));
        if (data.length === 1) resolve();
      }));
      kvWatch.on('error', (e: Error) => assert.fail(e));
      svcWatch.on('error', (e: Error) => assert.fail(e));
      await sleep(200);
      await consul.kv.set('watched', 'v2');
      await consul.agent.service.register({name: 'late', id: 'late-1', port: 1});
      await Promise.race([Promise.all([kvChanged, svcChanged]), sleep(5000).then(() => assert.fail('watch saw no change'))]);
      assert.equal(seen[0], '0');
    } finally {
      kvWatch.end();
      svcWatch.end();
    }
  });

  it('X-Consul-Index on every GET, 404s included; blocking returns on a write and waits otherwise', async () => {
    const miss = await fetch(`${base}/v1/kv/does/not/exist`);
    assert.equal(miss.status, 404);
    const index = Number(miss.headers.get('x-consul-index'));
    assert.ok(index > 0);
    const svc = await fetch(`${base}/v1/health/service/api`);
    assert.ok(Number(svc.headers.get('x-consul-index')) >= index);
    let t0 = Date.now();
    const blocked = await fetch(`${base}/v1/kv/does/not/exist?index=${index}&wait=300ms`);
    assert.equal(blocked.status, 404);
    assert.ok(Date.now() - t0 >= 280, 'a blocking query with the current index waits');
    t0 = Date.now();
    const pending = fetch(`${base}/v1/catalog/services?index=${index}&wait=10s`);
    await sleep(100);
    await fetch(`${base}/v1/kv/bump`, {method: 'PUT', body: '1'});
    const woke = await pending;
    assert.ok(Date.now() - t0 < 5000, 'a write ends the blocking query');
    assert.ok(Number(woke.headers.get('x-consul-index')) > index);
  });

  it('curl-style KV: PUT a raw body, ?raw returns the bytes, DELETE answers true', async () => {
    const body = Buffer.from([1, 2, 3, 0, 255]);
    const put = await fetch(`${base}/v1/kv/bin/blob`, {method: 'PUT', body});
    assert.equal(await put.text(), 'true');
    const raw = await fetch(`${base}/v1/kv/bin/blob?raw`);
    assert.deepEqual(Buffer.from(await raw.arrayBuffer()), body);
    const json = (await (await fetch(`${base}/v1/kv/bin/blob`)).json()) as {Value: string}[];
    assert.equal(Buffer.from(json[0].Value, 'base64').compare(body), 0);
    assert.equal(await (await fetch(`${base}/v1/kv/bin/blob`, {method: 'DELETE'})).text(), 'true');
    assert.equal((await fetch(`${base}/v1/kv/bin/blob`)).status, 404);
  });
});
