/**
 * The registry commands end to end against one local cluster: register with
 * checks, health, check pass|warn|fail, deregister, services, discover, kv,
 * watch, wait, and a killed demo instance turning critical.
 */
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {clusterSuite, outputIncludes, runDial, startCluster, startDial} from '../helpers/cli.js';

interface Instance {id: string; port: number; status: string; tags: string[]; meta: Record<string, string>; weights: {passing: number}}
interface Check {id: string; serviceId: string; status: string; output: string; type: string}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


describe('dial registry commands (end to end)', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  const dial = (args: string[], input?: string) => runDial(args, {home, input});
  let http: Server;
  let httpPort: number;
  let httpStatus = 200;
  let cluster: {api: {url: string}; instances: {id: string; pid: number; port: number}[]};

  before(async () => {
    cluster = (await startCluster(home, ['--instances', '2'])).json();
    http = createServer((_q, s) => {
      s.writeHead(httpStatus);
      s.end('ok');
    }).listen(0, '127.0.0.1');
    await new Promise((r) => http.once('listening', r));
    httpPort = (http.address() as {port: number}).port;
  });
  after(() => http.close());

  it('register with tags, meta, protocol, weight and a TTL check; health; check pass|warn|fail', async () => {
    const r = await dial(['register', 'worker', '--port', '9000', '--id', 'worker-1', '--tag', 'v2', '--tag', 'blue', '--meta', 'zone=a',
      '--protocol', 'http', '--weight', '3', '--check-ttl', '30s', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json<{id: string; checks: string[]}>().checks, ['service:worker-1']);
    let h = await dial(['health', 'worker', '--json']);
    assert.equal(h.json<{checks: Check[]}>().checks[0].status, 'critical');
    const pass = await dial(['check', 'pass', 'service:worker-1', '--note', 'queue ok']);
    assert.equal(pass.code, 0, pass.stderr);
    assert.match(pass.stdout, /passing/);
    h = await dial(['health', 'worker']);
    assert.match(h.stdout, /^INSTANCE\s+CHECK\s+TYPE\s+STATUS\s+OUTPUT/m);
    assert.match(h.stdout, /worker-1\s+service:worker-1\s+ttl\s+passing\s+queue ok/);
    const d = (await dial(['discover', 'worker', '--json'])).json<{instances: Instance[]}>().instances[0];
    assert.deepEqual([d.tags, d.meta.zone, d.meta.protocol, d.meta.weight, d.weights.passing, d.status], [['v2', 'blue'], 'a', 'http', '3', 3, 'passing']);
    assert.equal((await dial(['check', 'warn', 'service:worker-1'])).code, 0);
    assert.equal((await dial(['discover', 'worker', '--healthy', '--format', 'addrs'])).stdout, '');
    assert.equal((await dial(['check', 'fail', 'service:worker-1', '--note', 'down'])).code, 0);
    const checks = (await dial(['health', 'worker', '--json'])).json<{checks: Check[]}>().checks;
    assert.deepEqual([checks[0].status, checks[0].output], ['critical', 'down']);
    const unknown = await dial(['check', 'pass', 'service:nope', '--json']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.json<{error: {code: string}}>().error.code, 'NOT_FOUND');
  });

  it('register with HTTP and TCP checks run by the daemon; services shows the health summary', async () => {
    const r = await dial(['register', 'web', '--port', String(httpPort), '--id', 'web-1', '--check-http', `http://127.0.0.1:${httpPort}/health`, '--interval', '200ms', '--timeout', '1s']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await dial(['register', 'web', '--port', String(httpPort), '--id', 'web-2', '--check-tcp', `127.0.0.1:${httpPort}`, '--interval', '200ms'])).code, 0);
    const w = await dial(['wait', 'web', '--healthy', '--count', '2', '--timeout', '10s', '--json']);
    assert.equal(w.code, 0, w.stderr);
    assert.equal(w.json<{count: number}>().count, 2);
    httpStatus = 429;
    const deadline = Date.now() + 10_000;
    let web: {name: string; instances: number; passing: number; warning: number} | undefined;
    do {
      await sleep(250);
      web = (await dial(['services', '--json'])).json<{services: NonNullable<typeof web>[]}>().services.find((x) => x.name === 'web');
    } while (web?.warning !== 1 && Date.now() < deadline);
    assert.deepEqual([web?.instances, web?.passing, web?.warning], [2, 1, 1]);
    const human = await dial(['services']);
    assert.match(human.stdout, /web\s+-\s+2\s+1\s+1\s+0/);
    httpStatus = 200;
    const notTtl = await dial(['check', 'pass', 'service:web-1']);
    assert.equal(notTtl.code, 1);
    assert.match(notTtl.stderr, /check 'service:web-1' is not a TTL check: only TTL checks \(registered with --check-ttl\) can be reported/);
    assert.match(notTtl.stderr, /hint: +see each check's type with 'dial health NAME'/);
  });

  it('bad flags are usage errors (exit 2) that name the flag', async () => {
    for (const [args, re] of [
      [['register', 'x', '--port', '1', '--check-ttl', 'soon'], /--check-ttl/],
      [['register', 'x', '--port', '1', '--meta', 'novalue'], /--meta/],
      [['register', 'x', '--port', '1', '--check-http', 'ftp://h/'], /--check-http/],
      [['register', 'bad name', '--port', '1'], /service name/],
      [['register', 'x', '--port', '1', '--address', ''], /--address is empty/],
      [['register', 'x', '--port', '1', '--deregister-after', '1m'], /--deregister-after needs a check.*\n.*--check-http, --check-tcp, --check-grpc or --check-ttl/],
      [['register', 'x', '--port', '1', '--check-tcp', '127.0.0.1:1', '--interval', '0'], /--interval: '0' is not a positive duration/],
      [['check', 'bogus', 'service:t2'], /'bogus' is not a check command\n.*dial check pass\|warn\|fail CHECK_ID.*dial check SERVICE/],
      [['check', 'pas', 'service:t2'], /did you mean 'pass'\?/],
      [['watch'], /NAME or --services/],
    ] as [string[], RegExp][]) {
      const r = await dial(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  });

  it('deregister removes an instance; an unknown ID exits 1', async () => {
    assert.equal((await dial(['deregister', 'web-2'])).code, 0);
    const ids = (await dial(['discover', 'web', '--json'])).json<{instances: Instance[]}>().instances.map((i) => i.id);
    assert.deepEqual(ids, ['web-1']);
    const r = await dial(['deregister', 'web-2']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no instance with id 'web-2'/);
  });

  it('discover --tag and --healthy --format addrs', async () => {
    await dial(['register', 'worker', '--port', '9001', '--id', 'worker-2', '--tag', 'v1']);
    const tagged = (await dial(['discover', 'worker', '--tag', 'v1', '--json'])).json<{instances: Instance[]}>();
    assert.deepEqual(tagged.instances.map((i) => i.id), ['worker-2']);
    const addrs = await dial(['discover', 'worker', '--healthy', '--format', 'addrs']);
    assert.equal(addrs.stdout, '127.0.0.1:9001\n', 'worker-1 is critical, worker-2 has no checks');
  });

  it('kv put (argument, @file, stdin), get, list, --cas, delete --recurse', async () => {
    assert.equal((await dial(['kv', 'put', 'cfg/web/port', '8080'])).code, 0);
    const file = join(home, 'value.bin');
    writeFileSync(file, Buffer.from([0, 1, 2, 200]));
    assert.equal((await dial(['kv', 'put', 'cfg/web/blob', `@${file}`])).code, 0);
    assert.equal((await dial(['kv', 'put', 'cfg/db/url'], 'postgres://x\n')).code, 0);
    assert.equal((await dial(['kv', 'get', 'cfg/web/port'])).stdout, '8080\n');
    assert.equal((await dial(['kv', 'get', 'cfg/db/url'])).stdout, 'postgres://x\n');
    const blob = (await dial(['kv', 'get', 'cfg/web/blob', '--json'])).json<{value: null; valueBase64: string}>();
    assert.equal(blob.valueBase64, Buffer.from([0, 1, 2, 200]).toString('base64'));
    assert.deepEqual((await dial(['kv', 'list'])).stdout.split('\n').filter(Boolean), ['cfg/']);
    assert.deepEqual((await dial(['kv', 'list', 'cfg/'])).stdout.split('\n').filter(Boolean), ['cfg/db/', 'cfg/web/']);
    assert.deepEqual((await dial(['kv', 'list', 'cfg/', '--recurse', '--json'])).json<{keys: string[]}>().keys, ['cfg/db/url', 'cfg/web/blob', 'cfg/web/port']);
    assert.match((await dial(['kv', 'get', 'cfg/web/', '--recurse'])).stdout, /^cfg\/web\/port:8080$/m);
    const e = (await dial(['kv', 'get', 'cfg/web/port', '--json'])).json<{modifyIndex: number}>();
    const stale = await dial(['kv', 'put', 'cfg/web/port', '9090', '--cas', String(e.modifyIndex + 1000), '--json']);
    assert.equal(stale.code, 1);
    assert.equal(stale.json<{error: {code: string}}>().error.code, 'CAS_FAILED');
    assert.equal((await dial(['kv', 'put', 'cfg/web/port', '9090', '--cas', String(e.modifyIndex)])).code, 0);
    const now = (await dial(['kv', 'get', 'cfg/web/port', '--json'])).json<{modifyIndex: number}>().modifyIndex;
    const exists = await dial(['kv', 'put', 'cfg/web/port', 'x', '--cas', '0']);
    assert.equal(exists.code, 1, 'cas 0 only creates');
    assert.match(exists.stderr, new RegExp(`'cfg/web/port' was not written: the key already exists \\(modify index ${now}\\)`));
    assert.match(stale.json<{error: {message: string}}>().error.message, new RegExp(`its modify index is ${e.modifyIndex}, not ${e.modifyIndex + 1000}`));
    const missing = await dial(['kv', 'get', 'cfg/nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no key 'cfg\/nope'/);
    assert.match(missing.stderr, /list keys with 'dial kv list cfg\/'/);
    assert.match((await dial(['kv', 'get', 'nope'])).stderr, /list keys with 'dial kv list'$/m, 'no trailing space without a prefix');
    assert.equal((await dial(['kv', 'put', '/abs', 'x'])).code, 2);
    assert.equal((await dial(['kv', 'delete', 'cfg/web/', '--recurse'])).code, 0);
    assert.deepEqual((await dial(['kv', 'list', 'cfg/', '--recurse', '--json'])).json<{keys: string[]}>().keys, ['cfg/db/url']);
    const missingFile = await dial(['kv', 'put', 'k', '@/nonexistent/file']);
    assert.equal(missingFile.code, 2);
  });

  it('watch NAME --json streams present/added/changed/removed events until --timeout (exit 0)', {timeout: 90_000}, async (t) => {
    const w = startDial(t, ['watch', 'svc-w', '--json', '--timeout', '8s'], {home});
    await outputIncludes(w, 'watching');
    await dial(['register', 'svc-w', '--port', '1', '--id', 'svc-w-1', '--check-ttl', '30s']);
    await dial(['check', 'pass', 'service:svc-w-1']);
    await dial(['deregister', 'svc-w-1']);
    const code = await w.exited;
    assert.equal(code, 0, w.err());
    const events = w.out().trim().split('\n').map((l) => JSON.parse(l) as {event: string; id: string; status: string; from?: string});
    assert.deepEqual(events.map((e) => `${e.event}:${e.status}`), ['added:critical', 'changed:passing', 'removed:passing']);
    assert.equal(events[1].from, 'critical');
  });

  it('watch --services prints a row per change', {timeout: 90_000}, async (t) => {
    const w = startDial(t, ['watch', '--services', '--timeout', '6s'], {home});
    await outputIncludes(w, 'watching');
    await dial(['register', 'svc-x', '--port', '1', '--id', 'svc-x-1']);
    assert.equal(await w.exited, 0, w.err());
    assert.match(w.out(), /^TIME\s+EVENT\s+SERVICE\s+INSTANCES/m);
    assert.match(w.out(), /present\s+greeter\s+2\s+2/);
    assert.match(w.out(), /added\s+svc-x\s+1\s+1/);
  });

  it('wait exits 1 on timeout and 0 once the condition holds', {timeout: 90_000}, async (t) => {
    const r = await dial(['wait', 'svc-late', '--healthy', '--timeout', '500ms']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /'svc-late' has 0 healthy instances, wanted 1/);
    const w = startDial(t, ['wait', 'svc-late', '--healthy', '--count', '1', '--timeout', '15s'], {home});
    await sleep(800);
    await dial(['register', 'svc-late', '--port', '1']);
    assert.equal(await w.exited, 0, w.err());
    assert.match(w.out(), /svc-late: 1 healthy instance/);
  });

  it('--deregister-after removes an instance whose check stayed critical that long (flags in bare seconds too)', async () => {
    const r = await dial(['register', 'ttlsvc', '--port', '9', '--check-ttl', '1s', '--deregister-after', '1']);
    assert.equal(r.code, 0, r.stderr);
    const t0 = Date.now();
    while ((await fetch(`${cluster.api.url}/v1/agent/service/ttlsvc`)).status !== 404) {
      assert.ok(Date.now() - t0 < 6000, 'still registered 6s after its TTL check turned critical (deregister after 1s)');
      await sleep(200);
    }
    assert.deepEqual((await dial(['discover', 'ttlsvc', '--json'])).json<{instances: Instance[]}>().instances, []);
  });

  it('a killed demo instance is critical within interval + timeout and leaves --healthy results', async () => {
    const victim = cluster.instances[0];
    const t0 = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    for (;;) {
      const checks = (await (await fetch(`${cluster.api.url}/v1/health/checks/greeter`)).json()) as {ServiceID: string; Status: string}[];
      if (checks.find((c) => c.ServiceID === victim.id)?.Status === 'critical') break;
      assert.ok(Date.now() - t0 < 2000 + 500, 'not critical within interval (1s) + timeout (1s) (+0.5s slack)');
      await sleep(50);
    }
    const health = (await dial(['health', 'greeter', '--json'])).json<{checks: Check[]}>().checks;
    assert.equal(health.find((c) => c.serviceId === victim.id)?.status, 'critical');
    const addrs = (await dial(['discover', 'greeter', '--healthy', '--format', 'addrs'])).stdout.trim().split('\n');
    assert.deepEqual(addrs, [`127.0.0.1:${cluster.instances[1].port}`]);
  });
});

describe('dial watch when the embedded registry goes away', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  before(async () => {
    await startCluster(home, ['--demos', 'grpc', '--instances', '1']);
  });

  it('dial cluster down ends dial watch NAME with exit 3 and says the cluster cannot be reached', {timeout: 60_000}, async (t) => {
    const w = startDial(t, ['watch', 'greeter'], {home});
    await outputIncludes(w, 'watching');
    assert.match(w.out(), /present\s+greeter-grpc-1/);
    assert.equal((await runDial(['cluster', 'down'], {home})).code, 0);
    const code = await Promise.race([w.exited, sleep(15_000).then(() => 'still running')]);
    assert.equal(code, 3, w.err());
    assert.match(w.err(), /error: cannot reach the cluster at 127\.0\.0\.1:\d+/);
    assert.match(w.err(), /hint: +run 'dial cluster up'/);
  });
});
