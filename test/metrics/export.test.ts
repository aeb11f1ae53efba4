import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {getMetricsFromIterator} from 'prom2javascript';
import {parseExposition} from '../../src/metrics/exposition.js';
import {openTsdbLines, toOpenTsdb, toPrometheusText} from '../../src/metrics/export.js';
import type {ScrapeResult} from '../../src/metrics/scrape.js';

const text = `# HELP dial_requests_total Requests.
# TYPE dial_requests_total counter
dial_requests_total{method="GET /v1/kv/:key",code="200"} 7
# HELP lat_seconds Latency.
# TYPE lat_seconds histogram
lat_seconds_bucket{le="0.1"} 3
lat_seconds_bucket{le="+Inf"} 4
lat_seconds_sum 0.5
lat_seconds_count 4
`;

async function result(id: string): Promise<ScrapeResult> {
  return {target: {id, service: 'greeter', url: 'http://x/metrics', health: 'passing'}, at: 1_700_000_000_123, families: await parseExposition(text)};
}

describe('metrics export formats', () => {
  it('OpenTSDB put lines: legal names and tags, instance and service tags, seconds', async () => {
    const lines = openTsdbLines(toOpenTsdb([await result('greeter-grpc-1')])).trim().split('\n');
    assert.equal(lines.length, 5);
    assert.equal(lines[0], 'put dial_requests_total 1700000000 7 instance=greeter-grpc-1 service=greeter method=GET_/v1/kv/_key code=200');
    assert.ok(lines.includes('put lat_seconds_bucket 1700000000 4 instance=greeter-grpc-1 service=greeter le=inf'));
    for (const l of lines) assert.match(l, /^put [A-Za-z0-9\-_./]+ \d{10} [\d.e+-]+( [A-Za-z0-9\-_./]+=[A-Za-z0-9\-_./]+)+$/);
  });
  it('Prometheus text merges targets under one HELP/TYPE with instance/service labels, and parses back', async () => {
    const out = toPrometheusText([await result('a'), await result('b')]);
    assert.equal(out.match(/^# TYPE dial_requests_total counter$/gm)?.length, 1);
    const parsed = await getMetricsFromIterator(out.split('\n')[Symbol.iterator]());
    const reqs = parsed.dial_requests_total.data as {labels: Record<string, string>; value: number}[];
    assert.deepEqual(reqs.map((d) => [d.labels.instance, d.labels.method, d.value]), [['a', 'GET /v1/kv/:key', 7], ['b', 'GET /v1/kv/:key', 7]]);
    assert.equal(parsed.lat_seconds.type, 'histogram');
    assert.equal((parsed.lat_seconds.data as {count: number}[]).length, 2);
  });
  it('Prometheus text lists histogram buckets by increasing le, +Inf last (integer-like bounds too)', async () => {
    const hist = `# HELP h_seconds Latency.
# TYPE h_seconds histogram
h_seconds_bucket{le="0.0005"} 1
h_seconds_bucket{le="0.01"} 2
h_seconds_bucket{le="0.5"} 3
h_seconds_bucket{le="1"} 4
h_seconds_bucket{le="5"} 5
h_seconds_bucket{le="10"} 6
h_seconds_bucket{le="+Inf"} 7
h_seconds_sum 9
h_seconds_count 7
`;
    const families = await parseExposition(hist + text);
    const out = toPrometheusText([{target: {id: 'a', service: 'greeter', url: 'http://x/metrics', health: 'passing'}, at: 1, families}]);
    const les = new Map<string, string[]>();
    for (const line of out.split('\n')) {
      const m = /^(\w+)_bucket\{.*\ble="([^"]+)"/.exec(line);
      if (m) les.set(m[1], [...(les.get(m[1]) ?? []), m[2]]);
    }
    assert.deepEqual(les.get('h_seconds'), ['0.0005', '0.01', '0.5', '1', '5', '10', '+Inf']);
    assert.ok(les.size >= 2);
    for (const [name, list] of les) {
      const bounds = list.map((le) => (le === '+Inf' ? Infinity : Number(le)));
      for (let i = 1; i < bounds.length; i++) assert.ok(bounds[i] > bounds[i - 1], `${name}: le ${list[i]} after ${list[i - 1]}`);
      assert.equal(list.at(-1), '+Inf', name);
    }
  });
});
