import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {JsonObject, JsonValue} from '@bufbuild/protobuf';
import {call, type CallOutcome, type CallRequest} from '../../src/rpc/index.js';
import {DialError} from '../../src/errors/index.js';
import {ROOT} from '../helpers/cli.js';
import {startShowcase, type RunningServer} from '../helpers/grpc-servers.js';

const noRegistry = async () => {
  throw new Error('no registry in this test');
};

async function callAt(address: string, method: string, extra: Partial<CallRequest> = {}): Promise<CallOutcome> {
  return (await call({target: address, method, messages: [{}], registry: noRegistry, timeoutMs: 10_000, ...extra})) as CallOutcome;
}

/** Every field kind of showcase.v1.Everything, in proto3 JSON. */
const EVERYTHING: JsonObject = {
  text: 'héllo', i32: -5, i64: '-9007199254740993', u64: '18446744073709551615', s64: '-42', f64: '7', dbl: 1.25, flt: 0.5, flag: true,
  blob: 'AAEC/w==', color: 'COLOR_BLUE', tags: ['a', 'b'], numbers: ['1', '-2'], counts: {x: '9007199254740993'}, points: {'7': {x: 1, y: 2}},
  rect: {min: {x: 1}, max: {x: 3, y: 4}}, origin: {x: 9}, at: '2024-02-29T12:30:00.123Z', took: '1.500s',
  attrs: {name: 'n', list: [1, 'two', null, {deep: true}]}, anything: {k: [true]}, list: [1, 'x'], mask: 'a.bC,d',
  maybeText: '', maybeI64: '5', maybeFlag: false, maybeDbl: 2.5, maybeBlob: 'aGk=', nothing: {},
  extra: {'@type': 'type.googleapis.com/showcase.v1.Point', x: 5, y: 6}, optText: '', colors: ['COLOR_RED', 'COLOR_GREEN'],
};

describe('gRPC calls against the showcase (connect-node: gRPC, gRPC-Web, Connect on one port)', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startShowcase();
  });
  after(() => srv.close());

  for (const [protocol, http2] of [['grpc', true], ['grpc-web', false], ['grpc-web', true], ['connect', false], ['connect', true]] as const) {
    it(`proto3 JSON round trip of every field kind, WKTs and Any (${protocol}, HTTP/${http2 ? 2 : 1.1})`, async () => {
      const o = await callAt(srv.address, 'showcase.v1.Showcase/Echo', {messages: [EVERYTHING], protocol, transport: {http2}, headers: [['x-note', 'hi'], ['x-raw-bin', 'AAE=']]});
      assert.equal(o.status.code, 0, o.status.message);
      const got = {...(o.messages[0] as JsonObject)};
      const server = got.server as JsonObject;
      delete got.server;
      assert.deepEqual(got, EVERYTHING);
      assert.equal(server.protocol, protocol);
      assert.equal((server.headers as JsonObject)['x-note'], 'hi');
      assert.equal((server.headers as JsonObject)['x-raw-bin'], 'AAE=');
      assert.equal(o.protocol, protocol);
      assert.equal(o.connection?.httpVersion, http2 ? '2' : '1.1');
    });
  }

  it('--emit-defaults prints zero values; a oneof case and optional fields stay as sent', async () => {
    const o = await callAt(srv.address, 'Echo', {messages: [{shapeName: ''}], emitDefaults: true});
    const m = o.messages[0] as JsonObject;
    assert.equal(m.i64, '0');
    assert.equal(m.color, 'COLOR_UNSPECIFIED');
    assert.deepEqual(m.tags, []);
    assert.equal(m.shapeName, '');
    assert.equal('optText' in m, false);
  });

  it('server streaming delivers each message as it arrives', async () => {
    const seen: number[] = [];
    const started = performance.now();
    // The server sends every 0.4 s (0.8 s from first to last). Buffered delivery would bunch them;
    // the bound allows the first message to be delayed by a whole interval on a loaded machine.
    const o = await callAt(srv.address, 'Count', {messages: [{count: 3, interval: '0.4s'}], onMessage: () => seen.push(performance.now() - started)});
    assert.deepEqual(o.messages.map((m) => (m as JsonObject).n), ['1', '2', '3']);
    assert.equal(o.kind, 'server_streaming');
    assert.ok(seen[2] - seen[0] >= 400, `messages were spread out over time (${seen.map((x) => x.toFixed(0)).join(', ')} ms)`);
  });

  it('client streaming sums an async stream of messages; bidi answers each message before the next is sent', async () => {
    const sum = await callAt(srv.address, 'Sum', {messages: [{value: '9007199254740993'}, {value: '7'}]});
    assert.deepEqual(sum.messages, [{sum: '9007199254741000', count: 2}]);
    const replies: JsonValue[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* typed() {
      yield {text: 'one'};
      await gate; // the second message waits for the first answer: the call is truly interactive
      yield {text: 'two'};
    }
    const chat = await callAt(srv.address, 'Chat', {
      messages: typed(),
      onMessage: (m) => {
        replies.push(m);
        release();
      },
    });
    assert.deepEqual(chat.messages.map((m) => (m as JsonObject).text), ['you said: one', 'you said: two']);
  });

  it('rich error details are decoded from grpc-status-details-bin (gRPC) and from Connect error JSON', async () => {
    for (const protocol of ['grpc', 'connect']) {
      const o = await callAt(srv.address, 'Fail', {messages: [{code: 9, message: 'not now'}], protocol});
      assert.deepEqual([o.status.code, o.status.name, o.status.message], [9, 'FAILED_PRECONDITION', 'not now']);
      const types = (o.status.details as JsonObject[]).map((d) => d['@type']);
      assert.deepEqual(types, ['BadRequest', 'ErrorInfo', 'RetryInfo', 'LocalizedMessage', 'Help'].map((t) => `type.googleapis.com/google.rpc.${t}`));
      assert.deepEqual((o.status.details as JsonObject[])[2], {'@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.500s'});
      assert.equal(((o.status.details as JsonObject[])[0].fieldViolations as JsonObject[])[0].field, 'code');
    }
  });

  it('an Any whose type lives in a file the method does not import is resolved through reflection', async () => {
    const o = await callAt(srv.address, 'Pack', {messages: [{text: 'n'}]});
    const item = (o.messages[0] as JsonObject).item as JsonObject;
    assert.equal(item['@type'], 'type.googleapis.com/showcase.v1.Note');
    assert.equal(item.text, 'n');
  });

  it('timing: each layer of the connection, the schema, first byte and total', async () => {
    const o = await callAt(srv.address, 'Echo');
    const t = o.timing;
    for (const k of ['tcpMs', 'http2Ms', 'schemaMs', 'firstByteMs', 'firstMessageMs', 'totalMs'] as const) assert.ok(typeof t[k] === 'number' && t[k]! >= 0, k);
    assert.equal(t.dnsMs, undefined, 'an IP needs no DNS');
    assert.ok(t.totalMs >= t.tcpMs! + t.schemaMs);
    assert.match(o.requestHeaders['user-agent'] ?? '', /connect-es/);
    assert.equal(o.requestHeaders['content-type'], 'application/grpc+proto');
  });

  it('bad request data: unknown field, wrong type, wrong count, bad -bin header (usage errors, exit 2)', async () => {
    const usage = (re: RegExp) => (e: DialError) => e.exitCode === 2 && re.test(e.message);
    await assert.rejects(callAt(srv.address, 'Echo', {messages: [{nope: 1}]}), usage(/"nope" is unknown/));
    await assert.rejects(callAt(srv.address, 'Echo', {messages: [{i32: 'x'}]}), usage(/does not fit showcase\.v1\.Everything/));
    await assert.rejects(callAt(srv.address, 'Echo', {messages: [{}, {}]}), usage(/takes exactly one request message, got 2/));
    await assert.rejects(callAt(srv.address, 'Echo', {headers: [['trace-bin', 'not base64!']]}), usage(/must be base64/));
  });

  it('--max-time covers the whole call: a slow stream ends with DEADLINE_EXCEEDED after what did arrive', async () => {
    const o = await callAt(srv.address, 'Count', {messages: [{count: 5, interval: '1s'}], timeoutMs: 700});
    assert.equal(o.status.name, 'DEADLINE_EXCEEDED');
    assert.equal(o.messages.length, 1);
  });
});

describe('what goes on the wire', () => {
  it('--authority, --user-agent and -H reach the server; a plain HTTP/2 server\'s trailers-only answer is an outcome', async (t) => {
    const seen: http2.IncomingHttpHeaders[] = [];
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      seen.push(headers);
      stream.respond({':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'nothing here'}, {endStream: true});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => server.close());
    const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const o = await callAt(address, 'helloworld.Greeter/SayHello', {
      schema: {protoFiles: [join(ROOT, 'proto', 'helloworld', 'helloworld.proto')]},
      transport: {authority: 'greeter.example:443', userAgent: 'probe/1.0'},
      headers: [['x-tenant', 'blue'], ['token-bin', 'AAEC']],
    });
    assert.deepEqual([o.status.code, o.status.name, o.status.message], [12, 'UNIMPLEMENTED', 'nothing here']);
    assert.equal(seen.length, 1, 'one request: the schema came from the file, no reflection');
    assert.equal(seen[0][':authority'], 'greeter.example:443');
    assert.equal(seen[0][':path'], '/helloworld.Greeter/SayHello');
    assert.equal(seen[0]['user-agent'], 'probe/1.0');
    assert.equal(seen[0]['x-tenant'], 'blue');
    assert.equal(seen[0]['token-bin'], 'AAEC');
    assert.match(String(seen[0]['grpc-timeout']), /^\d+m$/);
  });
});
