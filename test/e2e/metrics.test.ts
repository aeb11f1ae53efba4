import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {getMetricsFromIterator} from 'prom2javascript';
import {clusterSuite, runDial, startCluster} from '../helpers/cli.js';

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
    const up = await startCluster(home, ['--instances', '2']);
    api = up.json<{api: {url: string}}>().api.url;
    instances = (await runDial(['discover', 'greeter', '--json'], {home})).json<Discovered>().instances;
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
    assert.equal(valueOf(m, 'dial_registry_instances'), 2);
    assert.equal(valueOf(m, 'dial_health_checks', {status: 'passing'}), 2);
    assert.ok((valueOf(m, 'dial_registry_write_duration_seconds') ?? 0) >= 2, 'registrations were timed');
    assert.ok((valueOf(m, 'dial_requests_total', {method: 'PUT /v1/agent/service/register', code: '200'}) ?? 0) >= 2);
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
    assert.equal((await runDial(['cluster', 'logs', '--trace', 'xyz'], {home})).code, 2);
  });
});
