import assert from 'node:assert/strict';
import {rmSync} from 'node:fs';
import {createServer, type AddressInfo} from 'node:net';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import thrift from 'thrift';
import {IdlProcessor} from '../../src/rpc/thrift/processor.js';
import {loadThriftSchema} from '../../src/rpc/thrift/schema.js';
import {runDemo} from '../demo/run-demo.js';
import {ROOT, runDial, tempHome} from '../helpers/cli.js';
import {INCLUDE_DIR, INTEROP_IDL} from '../helpers/thrift.js';

const IDL = join(ROOT, 'proto', 'helloworld', 'helloworld.thrift');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('dial call / list / describe with Thrift (bin/run.js)', () => {
  const home = tempHome();
  let demo: Awaited<ReturnType<typeof runDemo>>;
  let web: ReturnType<typeof thrift.createWebServer>;
  let webPort: number;
  let webHeaders: Record<string, unknown> = {};
  before(async () => {
    demo = await runDemo('greeter-thrift', 'demo/greeter/thrift-main.js');
    // Thrift over HTTP (the npm package's web server) with the greeter's IDL, for the URL form.
    const service = (await loadThriftSchema(IDL)).services[0];
    const processor = new IdlProcessor(service, {SayHello: (a) => ({success: {message: `Hello, ${(a.request as {name: string}).name}!`, instance: 'web'}})});
    web = thrift.createWebServer({services: {'/thrift': {transport: thrift.TBufferedTransport, protocol: thrift.TJSONProtocol, processor: {Processor: function Processor() {
      return processor;
    }} as never, handler: {}}}} as never);
    web.on('request', (req: {headers: Record<string, unknown>}) => (webHeaders = req.headers));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    webPort = (web.address() as AddressInfo).port;
  });
  after(async () => {
    await demo?.stop();
    await new Promise((r) => web?.close(r));
    rmSync(home, {recursive: true, force: true});
  });
  const dial = (args: string[]) => runDial(args, {home});

  it('calls a Thrift service at HOST:PORT with --schema; --json has the whole outcome', async () => {
    const r = await dial(['call', demo.hostPort, 'Greeter.SayHello', '--schema', IDL, '-d', '{"name":"ada"}']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {message: 'Hello, ada!', instance: 'greeter-thrift-1'});
    const j = (await dial(['call', demo.hostPort, 'SayHello', '--schema', IDL, '-d', '{"request":{"name":"bob"}}', '--json'])).json<Record<string, unknown>>();
    assert.deepEqual([j.protocol, j.method, j.kind, j.codec, (j.thrift as {transport: string}).transport, (j.status as {code: number}).code], ['thrift', 'Greeter.SayHello', 'unary', 'thrift-binary', 'framed', 0]);
    assert.deepEqual(j.messages, [{message: 'Hello, bob!', instance: 'greeter-thrift-1'}]);
  });

  it('a URL target is Thrift over HTTP (THttpClient), here with the JSON protocol', async () => {
    const r = await dial(['call', `http://127.0.0.1:${webPort}/thrift`, 'Greeter.SayHello', '--protocol', 'thrift', '--schema', IDL, '--thrift-protocol', 'json', '-d', '{"name":"ada"}', '-v']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {message: 'Hello, ada!', instance: 'web'});
    assert.match(r.stderr, new RegExp(`Protocol: thrift, http transport \\(POST http://127\\.0\\.0\\.1:${webPort}/thrift -> HTTP 200\\), json protocol`));
  });

  it('over HTTP the call carries a W3C traceparent: a new trace, or the one given with -H, a fresh span each call', async () => {
    const j = (await dial(['call', `http://127.0.0.1:${webPort}/thrift`, 'Greeter.SayHello', '--schema', IDL, '--thrift-protocol', 'json', '-d', '{"name":"ada"}', '--json'])).json<{traceId: string; requestHeaders: Record<string, string>}>();
    assert.match(String(webHeaders.traceparent), new RegExp(`^00-${j.traceId}-[0-9a-f]{16}-01$`));
    assert.equal(j.requestHeaders.traceparent, webHeaders.traceparent);
    const given = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const r = await dial(['call', `http://127.0.0.1:${webPort}/thrift`, 'Greeter.SayHello', '--schema', IDL, '--thrift-protocol', 'json', '-d', '{"name":"ada"}', '-H', `traceparent: ${given}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(String(webHeaders.traceparent), /^00-0af7651916cd43dd8448eb211c80319c-(?!b7ad6b7169203331)[0-9a-f]{16}-01$/);
  });

  it('a declared exception exits 66 with the exception as JSON; a oneway call says so on stderr', async () => {
    const r = await dial(['call', demo.hostPort, 'SayHello', '--schema', IDL, '-d', JSON.stringify({name: 'x'.repeat(65)})]);
    assert.equal(r.code, 66);
    assert.match(r.stderr, /Code: UNKNOWN[\s\S]*Greeter\.SayHello threw InvalidName[\s\S]*"@type": "InvalidName"[\s\S]*"reason": "a name has at most 64 characters"/);
    const o = await dial(['call', demo.hostPort, 'Greeter.Notify', '--schema', IDL, '-d', '{"note":"hi"}']);
    assert.equal(o.code, 0, o.stderr);
    assert.equal(o.stdout, '');
    assert.match(o.stderr, /Greeter\.Notify is oneway: sent, no reply awaited/);
  });

  it('bad input: a method not in the IDL (76), a JSON field of the wrong type (2), no IDL (2)', async () => {
    const m = await dial(['call', demo.hostPort, 'Greeter.SayHelo', '--schema', IDL, '-d', '{}']);
    assert.equal(m.code, 76);
    assert.match(m.stderr, /no function 'SayHelo' in service Greeter.*SayHello[\s\S]*functions: Greeter\.SayHello, Greeter\.Notify, Greeter\.NoteCount/);
    const t = await dial(['call', demo.hostPort, 'SayHello', '--schema', IDL, '-d', '{"name":5}']);
    assert.equal(t.code, 2);
    assert.match(t.stderr, /\$\.request\.name: 5 is not a string/);
    const n = await dial(['call', demo.hostPort, 'SayHello', '--protocol', 'thrift', '-d', '{}']);
    assert.equal(n.code, 2);
    assert.match(n.stderr, /Thrift has no server reflection[\s\S]*--schema FILE\.thrift/);
  });

  it('a server that is down exits 3; a transport or protocol mismatch says which to try', async () => {
    const down = await dial(['call', `127.0.0.1:${await freePort()}`, 'SayHello', '--schema', IDL, '-d', '{}']);
    assert.equal(down.code, 3);
    assert.match(down.stderr, /cannot reach 127\.0\.0\.1:\d+ \(connection refused\)/);
    const buffered = await dial(['call', demo.hostPort, 'SayHello', '--schema', IDL, '--thrift-transport', 'buffered', '-d', '{}']);
    assert.equal(buffered.code, 78);
    assert.match(buffered.stderr, /closed the connection without a reply \(dial spoke buffered transport, binary protocol\)[\s\S]*--thrift-transport framed/);
    const json = await dial(['call', demo.hostPort, 'SayHello', '--schema', IDL, '--thrift-protocol', 'json', '--max-time', '1s', '-d', '{}']);
    assert.equal(json.code, 68);
    assert.match(json.stderr, /no reply from .* within 1000ms[\s\S]*--thrift-protocol binary/);
  });

  it('list: the services of an IDL (includes through -I), the functions of one; --json', async () => {
    const s = await dial(['list', '--schema', INTEROP_IDL, '-I', INCLUDE_DIR]);
    assert.equal(s.code, 0, s.stderr);
    assert.deepEqual(s.stdout.trim().split('\n'), ['Echo', 'Calc']);
    const m = await dial(['list', 'greeter', 'Echo', '--schema', INTEROP_IDL, '-I', INCLUDE_DIR]);
    assert.match(m.stdout, /Echo\.lookup\s+unary\s+\(1: string key\) returns \(string\) throws \(1: NotFound notFound, 2: Invalid invalid\)/);
    assert.match(m.stdout, /Echo\.record\s+oneway\s+\(1: string event\) returns \(void\)/);
    const j = (await dial(['list', '--schema', INTEROP_IDL, '-I', INCLUDE_DIR, 'Calc', '--json'])).json<{service: string; methods: {fullName: string; kind: string; output: string}[]}>();
    assert.deepEqual([j.service, j.methods.map((x) => [x.fullName, x.kind, x.output])], ['Calc', [['Calc.multiply', 'unary', 'i64']]]);
    const missing = await dial(['list', '--schema', INTEROP_IDL]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /include "shared\.thrift" not found/);
  });

  it('describe: structs, enums, exceptions, included types and functions as IDL; unknown names exit 69 with near misses', async () => {
    const p = await dial(['describe', '--schema', INTEROP_IDL, '-I', INCLUDE_DIR, 'Color']);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /^Color is an enum \(.*interop\.thrift\):\nenum Color \{\n {2}RED = 1,/);
    const n = (await dial(['describe', '--schema', INTEROP_IDL, '-I', INCLUDE_DIR, 'shared.Note', '--json'])).json<{symbols: {symbol: string; kind: string; descriptor: unknown}[]}>();
    assert.deepEqual(n.symbols.map((s) => [s.symbol, s.kind, s.descriptor]), [['shared.Note', 'struct', {name: 'Note', fields: [
      {id: 1, name: 'text', type: 'string', requiredness: 'default'}, {id: 2, name: 'at', type: 'i64', requiredness: 'optional'}]}]]);
    const x = await dial(['describe', '--schema', INTEROP_IDL, '-I', INCLUDE_DIR, 'NotFound']);
    assert.match(x.stdout, /NotFound is an exception/);
    const f = await dial(['describe', '--schema', INTEROP_IDL, '-I', INCLUDE_DIR, 'Echo.lookup']);
    assert.match(f.stdout, /Echo\.lookup is a function .*:\nstring lookup\(1: string key\) throws \(1: NotFound notFound, 2: Invalid invalid\)$/m);
    const u = await dial(['describe', '--schema', INTEROP_IDL, '-I', INCLUDE_DIR, 'Pont']);
    assert.equal(u.code, 69);
    assert.match(u.stderr, /no definition 'Pont'.*Point/);
  });
});
