import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import type {JsonObject} from '@bufbuild/protobuf';
import {call, type CallOutcome, type CallRequest} from '../../src/rpc/index.js';
import {describeSchema, listSchema} from '../../src/rpc/inspect.js';
import {ROOT} from '../helpers/cli.js';
import {startGrpcJsGreeter, startInteropServer, startShowcase, type RunningServer} from '../helpers/grpc-servers.js';
import {needProtoc, protocDescriptorSet, wellKnownIncludeDir} from '../helpers/protoc.js';

const run = promisify(execFile);
const BUF = join(ROOT, 'node_modules', '.bin', 'buf');
const noRegistry = async () => {
  throw new Error('no registry in this test');
};
const callAt = async (target: string, method: string, extra: Partial<CallRequest> = {}) =>
  (await call({target, method, messages: [{}], registry: noRegistry, timeoutMs: 10_000, ...extra})) as CallOutcome;

const SAMPLE: JsonObject = {
  name: 'x', big: '-9007199254740993', ubig: '18446744073709551615', raw: 'AQI=', mood: 'MOOD_GRUMPY', scores: {a: 1, b: -2},
  tag: {key: 't', value: 'v'}, at: '2024-02-29T12:00:00.500Z', took: '3s', meta: {a: null, b: [1, 'two']}, value: {k: true},
  mask: 'fooBar,baz', maybe: 7, extra: {'@type': 'type.googleapis.com/interop.v1.Tag', key: 'packed'}, weights: [1.5, -0],
};

describe('interop: an independent @grpc/grpc-js server (proto-loader + @grpc/reflection)', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startInteropServer();
  });
  after(() => srv.close());

  it('copes with @grpc/reflection\'s incomplete descriptors (no dependencies, relative type names, empty JSON names)', async () => {
    const list = await listSchema({target: srv.address, service: 'Lab', registry: noRegistry});
    assert.deepEqual(list.methods?.map((m) => m.kind), ['unary', 'server_streaming', 'client_streaming', 'bidi_streaming', 'unary']);
    const [d] = await describeSchema({target: srv.address, symbol: 'interop.v1.Sample', registry: noRegistry});
    assert.match(d.text, /map<int64, interop\.v1\.Tag> tags = 7;/);
    assert.match(d.text, /google\.protobuf\.Timestamp at = 11;/);
  });

  it('every call kind; WKTs, Any, oneofs, maps, enums, 64-bit integers and bytes survive the trip', async () => {
    const mirror = await callAt(srv.address, 'interop.v1.Lab/Mirror', {messages: [SAMPLE]});
    assert.equal(mirror.status.code, 0, mirror.status.message);
    assert.deepEqual(mirror.messages[0], SAMPLE);
    const repeat = await callAt(srv.address, 'Repeat', {messages: [{sample: {name: 'r', mood: 'MOOD_HAPPY'}, times: 3}]});
    assert.deepEqual(repeat.messages.map((m) => (m as JsonObject).name), ['r#1', 'r#2', 'r#3']);
    const collect = await callAt(srv.address, 'Collect', {messages: [{name: 'a', big: '9007199254740993'}, {name: 'b', big: '1'}]});
    assert.deepEqual(collect.messages[0], {count: 2, names: ['a', 'b'], total: '9007199254740994'});
    const pong = await callAt(srv.address, 'PingPong', {messages: [{name: 'p', number: 5}, {name: 'q', word: 'w'}]});
    assert.deepEqual(pong.messages, [{name: 'pong p', number: 5}, {name: 'pong q', word: 'w'}]);
    const nothing = await callAt(srv.address, 'Nothing');
    assert.deepEqual(nothing.messages, [{}]);
  });

  it('a protoc-built descriptor set (--protoset) and the .proto itself (--proto) give the same results as reflection', async (t) => {
    const protoDir = join(ROOT, 'test', 'fixtures', 'proto');
    const viaProto = await callAt(srv.address, 'Mirror', {messages: [SAMPLE], schema: {protoFiles: [join(protoDir, 'interop/interop.proto')], importPaths: [protoDir]}});
    assert.equal(viaProto.schema, join(protoDir, 'interop/interop.proto'));
    assert.deepEqual(viaProto.messages[0], SAMPLE);
    if (!needProtoc(t)) return;
    const {file} = protocDescriptorSet([join(protoDir, 'interop/interop.proto')], [protoDir, wellKnownIncludeDir()]);
    const viaSet = await callAt(srv.address, 'interop.v1.Lab.Collect', {messages: [{name: 'z'}], schema: {protosets: [file]}});
    assert.deepEqual(viaSet.messages[0], {count: 1, names: ['z']});
  });
});

describe('interop: servers whose reflection is less complete than it should be', () => {
  it('one that leaves the google/protobuf files out of its answers', async (t) => {
    const srv = await startGrpcJsGreeter({reflection: 'no-wkt-files'});
    t.after(() => srv.close());
    const [d] = await describeSchema({target: srv.address, symbol: 'showcase.v1.Everything', registry: noRegistry});
    assert.match(d.text, /google\.protobuf\.Any extra = 32;/);
    assert.equal((await callAt(srv.address, 'SayHello', {messages: [{name: 'w'}]})).messages[0] && 'ok', 'ok');
  });

  it('one that only has the old v1alpha reflection service', async (t) => {
    const srv = await startGrpcJsGreeter({reflection: 'v1alpha-only'});
    t.after(() => srv.close());
    const o = await callAt(srv.address, 'helloworld.Greeter/SayHello', {messages: [{name: 'old'}]});
    assert.deepEqual(o.messages, [{message: 'Hello, old!', instance: 'grpc-js'}]);
  });
});

describe('interop: buf curl lists, and calls every showcase method, through the showcase\'s reflection', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startShowcase();
  });
  after(() => srv.close());
  const buf = async (args: string[], input?: string) => {
    const p = run(BUF, ['curl', ...args], {timeout: 20_000});
    if (input !== undefined) p.child.stdin?.end(input);
    return (await p).stdout;
  };

  it('lists services and methods', async (t) => {
    if (!existsSync(BUF)) return t.skip('buf is not installed: npm install (the @bufbuild/buf dev dependency)');
    const methods = (await buf(['--list-methods', `http://${srv.address}`])).trim().split('\n');
    for (const m of ['Echo', 'Count', 'Sum', 'Chat', 'Fail', 'Pack']) assert.ok(methods.includes(`showcase.v1.Showcase/${m}`), m);
  });

  for (const protocol of ['grpc', 'grpcweb', 'connect']) {
    it(`calls every method over ${protocol} (well-known types, Any, errors with details)`, async (t) => {
      if (!existsSync(BUF)) return t.skip('buf is not installed: npm install (the @bufbuild/buf dev dependency)');
      const base = ['--protocol', protocol, '--http2-prior-knowledge'];
      const url = (m: string) => `http://${srv.address}/showcase.v1.Showcase/${m}`;
      const echo = JSON.parse(await buf([...base, url('Echo'), '-d', JSON.stringify({i64: '-9007199254740993', at: '2024-01-01T00:00:00Z', attrs: {a: [1]}, extra: {'@type': 'type.googleapis.com/showcase.v1.Point', x: 3}})])) as JsonObject;
      assert.deepEqual([echo.i64, echo.at, echo.attrs, echo.extra], ['-9007199254740993', '2024-01-01T00:00:00Z', {a: [1]}, {'@type': 'type.googleapis.com/showcase.v1.Point', x: 3}]);
      const count = (await buf([...base, url('Count'), '-d', '{"count":2}'])).match(/"n": "\d"/g);
      assert.deepEqual(count, ['"n": "1"', '"n": "2"']);
      const pack = JSON.parse(await buf([...base, url('Pack'), '-d', '{"text":"t"}'])) as {item: JsonObject};
      assert.equal(pack.item['@type'], 'type.googleapis.com/showcase.v1.Note');
      if (protocol !== 'grpcweb') {
        assert.match(await buf([...base, url('Sum'), '-d', '@-'], '{"value":"2"}\n{"value":"40"}\n'), /"sum": "42"/);
        assert.match(await buf([...base, url('Chat'), '-d', '@-'], '{"text":"hi"}\n'), /"text": "you said: hi"/);
      }
      await assert.rejects(buf([...base, url('Fail'), '-d', '{"code":5}']), (e: {stderr: string; code: number}) => {
        assert.match(e.stderr, /"code": "not_found"/);
        assert.match(e.stderr, /google\.rpc\.BadRequest/);
        return true;
      });
    });
  }
});

describe('interop: buf curl against the greeter demo (grpc-js with dial\'s reflection service)', () => {
  it('lists and calls every method, v1 reflection, and v1alpha only', async (t) => {
    if (!existsSync(BUF)) return t.skip('buf is not installed: npm install (the @bufbuild/buf dev dependency)');
    for (const reflection of ['full', 'v1alpha-only'] as const) {
      const srv = await startGrpcJsGreeter({reflection});
      try {
        const curl = async (args: string[], input?: string) => {
          const p = run(BUF, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', ...args], {timeout: 20_000});
          if (input !== undefined) p.child.stdin?.end(input);
          return (await p).stdout;
        };
        assert.match(await curl(['--list-methods', `http://${srv.address}`]), /helloworld\.Greeter\/SayHelloBidiStream/);
        const url = (m: string) => `http://${srv.address}/helloworld.Greeter/${m}`;
        assert.match(await curl([url('SayHello'), '-d', '{"name":"buf"}']), /"message": "Hello, buf!"/);
        assert.equal((await curl([url('SayHelloStreamReply'), '-d', '{"name":"s","count":2}'])).match(/"message"/g)?.length, 2);
        assert.match(await curl([url('SayHelloBidiStream'), '-d', '@-'], '{"name":"b"}\n'), /"message": "Hello, b!"/);
      } finally {
        await srv.close();
      }
    }
  });
});
