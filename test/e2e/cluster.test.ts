import assert from 'node:assert/strict';
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {clusterSuite, runDial, startCluster, tempHome} from '../helpers/cli.js';

interface Status {
  running: boolean;
  pid: number;
  api: {url: string; port: number};
  ready: boolean;
  instances: {id: string; pid: number; port: number; state: string}[];
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('dial cluster: the end-to-end path', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  let status: Status;

  before(async () => {
    const up = await startCluster(home);
    status = up.json<Status & {started: boolean}>();
    assert.equal((status as Status & {started: boolean}).started, true);
  });

  it('cluster up starts a detached daemon with a pid file, a log, and three ready greeter instances', () => {
    assert.equal(status.running, true);
    assert.ok(isAlive(status.pid), 'daemon alive');
    assert.equal(Number(readFileSync(join(home, 'daemon.pid'), 'utf8')), status.pid);
    assert.ok(existsSync(join(home, 'daemon.log')));
    assert.equal(statSync(join(home, 'cluster.json')).mode & 0o777, 0o600);
    assert.equal(status.instances.length, 3);
    for (const i of status.instances) {
      assert.equal(i.state, 'ready');
      assert.ok(isAlive(i.pid));
      assert.notEqual(i.pid, status.pid);
    }
    assert.match(status.api.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a second cluster up reports the running cluster instead of starting another', async () => {
    const again = await runDial(['cluster', 'up', '--port', '0', '--json'], {home});
    assert.equal(again.code, 0, again.stderr);
    const s = again.json<Status & {started: boolean}>();
    assert.equal(s.started, false);
    assert.equal(s.pid, status.pid);
    const human = await runDial(['cluster', 'up', '--port', '0'], {home});
    assert.match(human.stdout, /already running/);
  });

  it('cluster status shows the daemon and instances (human and JSON)', async () => {
    const r = await runDial(['cluster', 'status'], {home});
    assert.equal(r.code, 0);
    assert.match(r.stdout, /running/);
    for (const i of status.instances) assert.match(r.stdout, new RegExp(i.id));
    const j = (await runDial(['cluster', 'status', '--json'], {home})).json<Status>();
    assert.equal(j.running, true);
    assert.equal(j.ready, true);
  });

  it('services lists greeter with its three passing instances', async () => {
    const r = await runDial(['services', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const j = r.json<{services: {name: string; instances: number; passing: number}[]}>();
    const greeter = j.services.find((s) => s.name === 'greeter');
    assert.deepEqual({instances: greeter?.instances, passing: greeter?.passing}, {instances: 3, passing: 3});
    const human = await runDial(['services'], {home});
    assert.match(human.stdout, /^NAME\s+TAGS\s+INSTANCES/m);
    assert.match(human.stdout, /greeter\s+\S+\s+3\s+3/);
  });

  it('discover shows address, port, protocol and health of each instance', async () => {
    const r = await runDial(['discover', 'greeter', '--json'], {home});
    const j = r.json<{instances: {id: string; address: string; port: number; status: string; meta: Record<string, string>}[]}>();
    assert.equal(j.instances.length, 3);
    for (const i of j.instances) {
      assert.equal(i.address, '127.0.0.1');
      assert.equal(i.meta.protocol, 'grpc');
      assert.equal(i.status, 'passing');
      assert.ok(status.instances.some((s) => s.port === i.port));
    }
    const addrs = await runDial(['discover', 'greeter', '--format', 'addrs'], {home});
    assert.equal(addrs.stdout.trim().split('\n').length, 3);
    assert.match(addrs.stdout, /^127\.0\.0\.1:\d+$/m);
  });

  it('call resolves the service through the registry and calls it over gRPC with reflection', async () => {
    const r = await runDial(['call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}'], {home});
    assert.equal(r.code, 0, r.stderr);
    const msg = JSON.parse(r.stdout) as {message: string; instance: string};
    assert.equal(msg.message, 'Hello, ada!');
    assert.match(msg.instance, /^greeter-grpc-\d$/);
  });

  it('call takes HOST:PORT and -d @file', async () => {
    const file = join(home, 'req.json');
    writeFileSync(file, '{"name": "grace"}\n');
    const target = `127.0.0.1:${status.instances[1].port}`;
    const r = await runDial(['call', target, 'helloworld.Greeter/SayHello', '-d', `@${file}`, '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const o = r.json<{messages: {message: string; instance: string}[]; status: {code: number}; target: string}>();
    assert.equal(o.target, target);
    assert.equal(o.messages[0].message, 'Hello, grace!');
    assert.equal(o.messages[0].instance, status.instances[1].id);
    assert.equal(o.status.code, 0);
  });

  it('server streaming prints each message', async () => {
    const r = await runDial(['call', 'greeter', 'SayHelloStreamReply', '-d', '{"name":"ada","count":3}', '--json'], {home});
    const o = r.json<{messages: {message: string}[]; kind: string}>();
    assert.equal(o.kind, 'server_streaming');
    assert.deepEqual(o.messages.map((m) => m.message), ['Hello, ada! (1/3)', 'Hello, ada! (2/3)', 'Hello, ada! (3/3)']);
  });

  it('bidi streaming reads NDJSON from stdin with -d @-', async () => {
    const r = await runDial(['call', 'greeter', 'helloworld.Greeter/SayHelloBidiStream', '-d', '@-', '--json'], {home, input: '{"name":"a"}\n{"name":"b"}\n'});
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json<{messages: {message: string}[]}>().messages.map((m) => m.message), ['Hello, a!', 'Hello, b!']);
  });

  describe('failure paths', () => {
    it('unknown service: exit 1 with a did-you-mean', async () => {
      const r = await runDial(['call', 'greetr', 'SayHello'], {home});
      assert.equal(r.code, 1);
      assert.match(r.stderr, /no service 'greetr'.*did you mean 'greeter'/);
    });
    it('unknown method: exit 64+12 (UNIMPLEMENTED) with a suggestion', async () => {
      const r = await runDial(['call', 'greeter', 'helloworld.Greeter/SayHelo', '--json'], {home});
      assert.equal(r.code, 76);
      const e = r.json<{error: {code: string; message: string; hint: string}}>().error;
      assert.equal(e.code, 'METHOD_NOT_FOUND');
      assert.match(e.message, /did you mean 'SayHello'/);
    });
    it('malformed -d JSON: usage error, exit 2', async () => {
      const r = await runDial(['call', 'greeter', 'SayHello', '-d', '{"name":'], {home});
      assert.equal(r.code, 2);
      assert.match(r.stderr, /not valid JSON/);
    });
    it('a field the message does not have: exit 2, naming the fields', async () => {
      const r = await runDial(['call', 'greeter', 'SayHello', '-d', '{"nme":"x"}'], {home});
      assert.equal(r.code, 2);
      assert.match(r.stderr, /"nme" is unknown/);
      assert.match(r.stderr, /name, count/);
    });
    it('unreachable HOST:PORT: exit 3 naming the address', async () => {
      const r = await runDial(['call', '127.0.0.1:1', 'SayHello', '--json'], {home});
      assert.equal(r.code, 3);
      const e = r.json<{error: {code: string; message: string}}>().error;
      assert.equal(e.code, 'UNREACHABLE');
      assert.match(e.message, /127\.0\.0\.1:1 \(connection refused\)/);
    });
    it('missing request file: exit 2', async () => {
      const r = await runDial(['call', 'greeter', 'SayHello', '-d', '@/nonexistent/req.json'], {home});
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot read request file/);
    });
  });
});

describe('dial cluster: lifecycle edges', () => {
  it('commands fail with exit 3 and a hint when no cluster runs', async (t) => {
    const home = tempHome(t);
    const r = await runDial(['services'], {home});
    assert.equal(r.code, 3);
    assert.match(r.stderr, /no local cluster is running/);
    assert.match(r.stderr, /dial cluster up/);
    const j = await runDial(['discover', 'greeter', '--json'], {home});
    assert.equal(j.code, 3);
    assert.equal(j.json<{error: {code: string}}>().error.code, 'CLUSTER_NOT_RUNNING');
    const s = await runDial(['cluster', 'status', '--json'], {home});
    assert.equal(s.code, 3);
    assert.equal(s.json<{running: boolean}>().running, false);
  });

  it('a stale pid file is detected and cleaned; down stops the daemon and every instance', async (t) => {
    const home = tempHome(t);
    writeFileSync(join(home, 'daemon.pid'), '999999\n');
    const st = await runDial(['cluster', 'status', '--json'], {home});
    assert.equal(st.json<{cleanedStale: boolean}>().cleanedStale, true);
    assert.equal(existsSync(join(home, 'daemon.pid')), false);

    writeFileSync(join(home, 'daemon.pid'), '999999\n');
    const up = await runDial(['cluster', 'up', '--port', '0', '--instances', '2', '--demos', 'grpc', '--json'], {home});
    assert.equal(up.code, 0, up.stderr);
    const s = up.json<Status & {started: boolean; cleanedStale: boolean}>();
    assert.equal(s.started, true);
    assert.equal(s.cleanedStale, true);
    assert.equal(s.instances.length, 2);
    const pids = [s.pid, ...s.instances.map((i) => i.pid)];
    const down = await runDial(['cluster', 'down', '--json'], {home});
    assert.equal(down.code, 0);
    assert.equal(down.json<{wasRunning: boolean}>().wasRunning, true);
    for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} still alive`);
    assert.equal(existsSync(join(home, 'cluster.json')), false);
    const again = await runDial(['cluster', 'down'], {home});
    assert.equal(again.code, 0);
    assert.match(again.stdout, /no cluster was running/);
  });

  it('instances exit on their own when the daemon is killed with SIGKILL, and down cleans up', async (t) => {
    const home = tempHome(t);
    const up = await runDial(['cluster', 'up', '--port', '0', '--instances', '1', '--demos', 'grpc', '--json'], {home});
    const s = up.json<Status>();
    process.kill(s.pid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && isAlive(s.instances[0].pid)) await new Promise((r) => setTimeout(r, 50));
    assert.equal(isAlive(s.instances[0].pid), false, 'instance outlived its daemon');
    const st = await runDial(['cluster', 'status', '--json'], {home});
    assert.equal(st.code, 3);
    const down = await runDial(['cluster', 'down'], {home});
    assert.equal(down.code, 0);
    assert.equal(existsSync(join(home, 'cluster.json')), false);
  });

  it('a busy port is a clear error', async (t) => {
    const home = tempHome(t);
    const {createServer} = await import('node:net');
    const srv = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => srv.once('listening', r));
    const port = (srv.address() as {port: number}).port;
    t.after(() => srv.close());
    const r = await runDial(['cluster', 'up', '--port', String(port), '--instances', '0'], {home});
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`port ${port} .* in use`));
    assert.match(r.stderr, /--port/);
  });
});
