import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {getMetricsFromIterator} from 'prom2javascript';
import {BIN, ROOT, clusterSuite, runDial, startCluster, tempHome} from '../helpers/cli.js';

interface Discovered {instances: {id: string; address: string; port: number; meta: Record<string, string>}[]}
type Parsed = Awaited<ReturnType<typeof getMetricsFromIterator>>;

async function scrape(url: string): Promise<Parsed> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return getMetricsFromIterator(text.split('\n')[Symbol.iterator]());
}

function valueOf(m: Parsed, name: string, labels: Record<string, string> = {}): number | undefined {
  const data = m[name]?.data as {labels: Record<string, string>; value?: number; count?: number}[] | undefined;
  const hit = data?.find((d) => Object.entries(labels).every(([k, v]) => d.labels[k] === v));
  return hit?.value ?? hit?.count;
}

describe('metrics: /metrics of the daemon and instances, dial metrics, trace context', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  let api: string;
  let instances: Discovered['instances'];

  before(async () => {
    const up = await startCluster(home, ['--instances', '2', '--demos', 'grpc,rest']);
    api = up.json<{api: {url: string}}>().api.url;
    instances = (await runDial(['discover', 'greeter', '--json'], {home})).json<Discovered>().instances.filter((i) => i.meta.protocol === 'grpc');
  });

  it('every instance registers its metrics port in the registry metadata', () => {
    assert.equal(instances.length, 2);
    for (const i of instances) assert.match(i.meta.metrics_port, /^\d+$/);
  });

  it('the daemon exposes requests, latency, in-flight, health results, registry size and write latency, process metrics', async () => {
    const m = await scrape(`${api}/metrics`);
    for (const [name, type] of Object.entries({
      dial_requests_total: 'counter', dial_request_duration_seconds: 'histogram', dial_requests_in_flight: 'gauge',
      dial_health_checks: 'gauge', dial_health_check_transitions_total: 'counter', dial_registry_services: 'gauge',
      dial_registry_instances: 'gauge', dial_registry_write_duration_seconds: 'histogram', process_cpu_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge', dial_instances: 'gauge',
    })) assert.equal(m[name]?.type, type, name);
    assert.equal(valueOf(m, 'dial_registry_instances'), 3);
    assert.equal(valueOf(m, 'dial_health_checks', {status: 'passing'}), 3);
    assert.ok((valueOf(m, 'dial_registry_write_duration_seconds') ?? 0) >= 3, 'registrations were timed');
    assert.ok((valueOf(m, 'dial_requests_total', {method: 'PUT /v1/agent/service/register', code: '200'}) ?? 0) >= 3);
    const routes = m.dial_requests_total.data.map((d) => d.labels.method);
    assert.ok(routes.every((r) => !/greeter-grpc-\d/.test(r)), `instance IDs must not become labels: ${routes.join(', ')}`);
  });

  it('an instance counts each RPC by method and status code, with a latency histogram and health probes', async () => {
    const target = `${instances[0].address}:${instances[0].port}`;
    const url = `http://${instances[0].address}:${instances[0].meta.metrics_port}/metrics`;
    const before = valueOf(await scrape(url), 'dial_requests_total', {method: 'helloworld.Greeter/SayHello', code: 'OK'}) ?? 0;
    for (let n = 0; n < 3; n++) assert.equal((await runDial(['call', target, 'SayHello', '-d', '{"name":"m"}'], {home})).code, 0);
    const m = await scrape(url);
    assert.equal(valueOf(m, 'dial_requests_total', {method: 'helloworld.Greeter/SayHello', code: 'OK'}), before + 3);
    assert.equal(valueOf(m, 'dial_request_duration_seconds', {method: 'helloworld.Greeter/SayHello'}), before + 3);
    assert.equal(valueOf(m, 'dial_requests_in_flight'), 0);
    assert.ok((valueOf(m, 'dial_health_probes_total', {result: 'ok'}) ?? 0) >= 1);
    assert.equal(valueOf(m, 'dial_instance_info', {instance: instances[0].id, service: 'greeter', protocol: 'grpc'}), 1);
  });

  it('HTTP demo kinds (REST, JSON-RPC, ...) get the same metrics without code of their own', async (t) => {
    const all = (await runDial(['discover', 'greeter', '--json'], {home})).json<Discovered>().instances;
    const rest = all.find((i) => i.meta.protocol === 'rest');
    if (!rest) return t.skip('this cluster has no REST greeter');
    assert.match(rest.meta.metrics_port, /^\d+$/);
    const r = await runDial(['call', `${rest.address}:${rest.port}`, 'GET', '/hello/metrics', '--protocol', 'rest'], {home});
    assert.equal(r.code, 0, r.stderr);
    const m = await scrape(`http://${rest.address}:${rest.meta.metrics_port}/metrics`);
    assert.equal(valueOf(m, 'dial_requests_total', {method: 'GET /hello/metrics', code: '200'}), 1);
    assert.ok((valueOf(m, 'dial_health_probes_total', {result: 'ok'}) ?? 0) >= 1, 'the HTTP check path counts as probes');
  });

  it('dial metrics shows a table per target, filtered by service and --match', async () => {
    const r = await runDial(['metrics', 'greeter', '--match', '^dial_requests_total$'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^TARGET\s+METRIC\s+VALUE/);
    assert.match(r.stdout, /greeter-grpc-\d\s+dial_requests_total\{method="helloworld\.Greeter\/SayHello",code="OK"\}\s+\d+/);
    assert.doesNotMatch(r.stdout, /daemon|process_/);
    const j = (await runDial(['metrics', 'daemon', '--match', 'registry', '--json'], {home})).json<{targets: {id: string; families: {name: string}[]}[]}>();
    assert.deepEqual(j.targets.map((t) => t.id), ['daemon']);
    assert.ok(j.targets[0].families.length >= 3 && j.targets[0].families.every((f) => /registry/.test(f.name)));
  });

  it('dial metrics: an unknown target exits 1 with a did-you-mean, a bad --match exits 2', async () => {
    const r = await runDial(['metrics', 'greetr'], {home});
    assert.equal(r.code, 1);
    assert.match(r.stderr, /did you mean 'greeter'/);
    assert.equal((await runDial(['metrics', '--match', '(['], {home})).code, 2);
  });

  it('dial call sends a traceparent; -v shows the trace id; cluster logs --trace finds it in the daemon and instance logs', async () => {
    const r = await runDial(['call', 'greeter', 'SayHello', '-d', '{"name":"t"}', '-v'], {home});
    assert.equal(r.code, 0, r.stderr);
    const id = /Trace: ([0-9a-f]{32})/.exec(r.stderr)?.[1];
    assert.ok(id, r.stderr);
    const logs = (await runDial(['cluster', 'logs', '--trace', id, '--json'], {home})).json<{lines: {source: string; line: string}[]}>();
    const sources = new Set(logs.lines.map((l) => l.source));
    assert.ok(sources.has('daemon'), JSON.stringify(logs.lines));
    assert.ok([...sources].some((s) => /^greeter-grpc-\d$/.test(s)), JSON.stringify(logs.lines));
    assert.ok(logs.lines.some((l) => /helloworld\.Greeter\/SayHello OK/.test(l.line)));
    const given = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const j = await runDial(['call', 'greeter', 'SayHello', '-d', '{"name":"t"}', '-H', `traceparent: ${given}`, '--json'], {home});
    assert.equal(j.json<{traceId: string}>().traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    const continued = (await runDial(['cluster', 'logs', '--trace', '4bf92f3577b34da6a3ce929d0e0e4736', '--json'], {home})).json<{lines: {source: string; line: string}[]}>();
    const hop = continued.lines.find((l) => /^greeter-grpc-\d$/.test(l.source));
    assert.ok(hop, JSON.stringify(continued.lines));
    assert.match(hop.line, /span=[0-9a-f]{16}/);
    assert.doesNotMatch(hop.line, /span=00f067aa0ba902b7/, 'the instance sees a child span, not the caller\'s parent span');
    const garbage = await runDial(['call', 'greeter', 'SayHello', '-d', '{"name":"t"}', '-H', 'traceparent: garbage', '--json'], {home});
    const fresh = garbage.json<{traceId: string}>().traceId;
    const replaced = (await runDial(['cluster', 'logs', '--trace', fresh, '--json'], {home})).json<{lines: {source: string}[]}>();
    assert.ok(replaced.lines.some((l) => /^greeter-grpc-\d$/.test(l.source)), 'the instance hop carries the new trace');
    const said = await runDial(['call', 'greeter', 'SayHello', '-d', '{"name":"t"}', '-H', 'traceparent: garbage', '-v'], {home});
    assert.match(said.stderr, /traceparent 'garbage' is not a valid W3C traceparent: sent a new trace/);
    assert.equal((await runDial(['cluster', 'logs', '--trace', 'xyz'], {home})).code, 2);
  });
});

describe('monitoring: dial check, dial metrics export, dial top', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  let instances: Discovered['instances'];
  before(async () => {
    await startCluster(home, ['--instances', '2']);
    instances = (await runDial(['discover', 'greeter', '--json'], {home})).json<Discovered>().instances.filter((i) => i.meta.protocol === 'grpc');
  });
  /** Calls the greeter instances directly while `fn` runs, so the sample window has traffic. */
  async function withLoad<T>(fn: () => Promise<T>): Promise<T> {
    let stop = false;
    const load = (async () => {
      for (let n = 0; !stop && n < 200; n++) {
        const i = instances[n % instances.length];
        await runDial(['call', `${i.address}:${i.port}`, 'helloworld.Greeter/SayHello', '-d', '{"name":"load"}'], {home});
      }
    })();
    try {
      return await fn();
    } finally {
      stop = true;
      await load;
    }
  }

  it('check: OK exits 0 with a Nagios status line and perfdata; CRITICAL exits 2; WARNING exits 1', async () => {
    const ok = await runDial(['check', 'greeter', '--min-healthy', '1', '--max-error-rate', '0.5'], {home});
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^DIAL OK - greeter: \d+\/\d+ healthy, .* \| healthy=\d+;;1:;0;\d+ rps=/);
    const crit = await runDial(['check', 'greeter', '--min-healthy', '99'], {home});
    assert.equal(crit.code, 2);
    assert.match(crit.stdout, /^DIAL CRITICAL - greeter: \d+ healthy, fewer than 99/);
    const warn = await withLoad(() => runDial(['check', 'greeter', '--warn-p99', '0.000001', '--window', '2s', '--format', 'json'], {home}));
    assert.equal(warn.code, 1, warn.stdout);
    const j = JSON.parse(warn.stdout) as {state: string; requests: number; p99Ms: number};
    assert.equal(j.state, 'WARNING');
    assert.ok(j.requests > 0 && j.p99Ms > 0, warn.stdout);
  });

  it('check: UNKNOWN exits 3 when the check cannot run (no cluster, bad threshold); zabbix prints one value', async () => {
    const empty = tempHome();
    try {
      const r = await runDial(['check', 'greeter'], {home: empty});
      assert.equal(r.code, 3);
      assert.match(r.stdout, /^DIAL UNKNOWN - greeter: no local cluster is running/);
    } finally {
      rmSync(empty, {recursive: true, force: true});
    }
    const bad = await runDial(['check', 'greeter', '--max-error-rate', 'lots'], {home});
    assert.equal(bad.code, 3);
    assert.match(bad.stdout, /^DIAL UNKNOWN/);
    const before = await runDial(['check', '--max-p99', 'abc', 'greeter'], {home});
    assert.match(before.stdout, /^DIAL UNKNOWN - greeter: --max-p99 'abc'/, 'a flag value is not the service');
    const z = await runDial(['check', 'greeter', '--min-healthy', '99', '--format', 'zabbix'], {home});
    assert.deepEqual([z.code, z.stdout], [0, '2\n']);
    const h = await runDial(['check', 'greeter', '--format', 'zabbix', '--item', 'healthy'], {home});
    assert.match(h.stdout, /^\d+\n$/);
  });

  it('check: an error in zabbix format prints no value (stderr, non-zero exit); --format=X is read on errors too', async () => {
    for (const format of [['--format', 'zabbix'], ['--format=zabbix']]) {
      const r = await runDial(['check', 'greeter', ...format, '--item', 'p99_ms', '--max-p99', 'abc'], {home});
      assert.deepEqual([r.code, r.stdout], [2, ''], format.join(' '));
      assert.match(r.stderr, /error:.*--max-p99 'abc' is not a number/);
    }
    const empty = tempHome();
    try {
      const r = await runDial(['check', 'greeter', '--format=zabbix'], {home: empty});
      assert.deepEqual([r.code, r.stdout], [3, '']);
      assert.match(r.stderr, /error:.*no local cluster is running/);
    } finally {
      rmSync(empty, {recursive: true, force: true});
    }
    const j = await runDial(['check', 'greeter', '--format=json', '--max-p99', 'abc'], {home});
    assert.equal(j.code, 3);
    const parsed = JSON.parse(j.stdout) as {state: string; service: string};
    assert.deepEqual([parsed.state, parsed.service], ['UNKNOWN', 'greeter']);
  });

  it('metrics export: OpenTSDB put lines, Prometheus text (parsed back), JSON; --to sends OpenTSDB /api/put JSON', async () => {
    const tsdb = await runDial(['metrics', 'export', '--format', 'opentsdb', 'greeter', '--match', '^dial_requests_total$'], {home});
    assert.equal(tsdb.code, 0, tsdb.stderr);
    for (const l of tsdb.stdout.trim().split('\n')) assert.match(l, /^put dial_requests_total \d{10} \d+ instance=greeter-\S+ service=greeter method=\S+ code=\S+$/);
    const prom = await runDial(['metrics', 'export', '--format', 'prometheus'], {home});
    const parsed = await getMetricsFromIterator(prom.stdout.split('\n')[Symbol.iterator]());
    assert.equal(parsed.dial_registry_instances.type, 'gauge');
    assert.ok(parsed.dial_requests_total.data.some((d) => d.labels.instance === 'daemon'));
    const json = (await runDial(['metrics', 'export', '--format', 'json', 'daemon'], {home})).json<{targets: {id: string; samples: unknown[]}[]}>();
    assert.equal(json.targets[0].id, 'daemon');
    const bodies: {path: string; body: string}[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        bodies.push({path: `${req.method} ${req.url}`, body});
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      const sent = await runDial(['metrics', 'export', '--format', 'opentsdb', '--to', `http://127.0.0.1:${port}`, 'greeter'], {home});
      assert.equal(sent.code, 0, sent.stderr);
      assert.equal(bodies[0].path, 'POST /api/put');
      const points = JSON.parse(bodies[0].body) as {metric: string; timestamp: number; value: number; tags: Record<string, string>}[];
      assert.ok(points.length > 10 && points.every((p) => p.tags.instance && p.tags.service === 'greeter' && Number.isFinite(p.value)));
    } finally {
      server.close();
    }
  });

  it('top prints plain lines per target at each refresh when stdout is not a terminal', async () => {
    const r = await runDial(['top', '-n', '2', '--interval', '300ms'], {home});
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.some((l) => /^\S+Z daemon service=dial health=passing rps=[\d.]+ err=[\d.]+% p50_ms=\S+ p99_ms=\S+ inflight=\d+$/.test(l)), r.stdout);
    assert.equal(lines.filter((l) => / greeter-grpc-1 /.test(l)).length, 2);
    const many = await runDial(['top', '-n', '12', '--interval', '20ms'], {home});
    assert.equal(many.code, 0, many.stderr);
    assert.doesNotMatch(many.stderr, /Warning/, 'no listener piles up on the signal across refreshes');
  });

  it('top is a full-screen view in a real terminal (tmux): rows per instance with rates and sparklines; q quits', async (t) => {
    if (!existsSync('/usr/bin/tmux')) return t.skip('tmux is missing: apt-get install -y tmux');
    const session = `dial-top-${process.pid}`;
    const tmux = (...a: string[]) => execFileSync('/usr/bin/tmux', a, {encoding: 'utf8'});
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '30', `cd ${ROOT} && DIAL_HOME=${home} NO_COLOR=1 ${process.execPath} ${BIN} top --interval 500ms; sleep 30`);
    try {
      const screen = await withLoad(async () => {
        let s = '';
        const deadline = Date.now() + 15_000;
        while (Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 300));
          s = tmux('capture-pane', '-p', '-t', session);
          if (/greeter-grpc-\d\s+greeter\s+passing\s+[1-9][\d.]*\s/.test(s)) break;
        }
        return s;
      });
      assert.match(screen, /dial top - .* q quits/);
      assert.match(screen, /INSTANCE\s+SERVICE\s+HEALTH\s+RPS\s+ERR%\s+P50 MS\s+P99 MS\s+INFLIGHT/);
      assert.match(screen, /daemon\s+dial\s+passing/);
      assert.match(screen, /greeter-grpc-\d\s+greeter\s+passing\s+[1-9][\d.]*\s/, screen);
      assert.match(screen, /[▁▂▃▄▅▆▇█]/);
      tmux('send-keys', '-t', session, 'q');
      let after = '';
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        after = tmux('capture-pane', '-p', '-t', session);
        if (!/q quits/.test(after)) break;
      }
      assert.doesNotMatch(after, /q quits/, 'q leaves the full-screen view');
    } finally {
      try {
        tmux('kill-session', '-t', session);
      } catch {
        // already gone
      }
    }
  });
});
