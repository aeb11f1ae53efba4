import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import * as net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it, type TestContext} from 'node:test';
import {ROOT, runDial, tempHome} from '../helpers/cli.js';
import {startGrpcJsGreeter, startShowcase, type RunningServer} from '../helpers/grpc-servers.js';

const HELLO_PROTO = join(ROOT, 'proto', 'helloworld', 'helloworld.proto');

/** A self-signed certificate for localhost and 127.0.0.1 (openssl), or undefined with the test skipped. */
function selfSigned(t: TestContext): {key: Buffer; cert: Buffer; certFile: string} | undefined {
  if (!existsSync('/usr/bin/openssl')) {
    t.skip('openssl is not installed: apt-get install -y openssl');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dial-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], {stdio: 'ignore'});
  return {key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')), certFile: join(dir, 'cert.pem')};
}

describe('dial list, describe and call (gRPC) from the command line', () => {
  const home = tempHome();
  let showcase: RunningServer;
  let bare: RunningServer & {socket?: string};
  before(async () => {
    showcase = await startShowcase();
    bare = await startGrpcJsGreeter({reflection: 'none', unix: true});
  });
  after(async () => {
    await showcase.close();
    await bare.close();
  });

  it('list: services by reflection, then one service\'s methods (short name), as text and JSON', async () => {
    const r = await runDial(['list', showcase.address], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection', 'showcase.v1.Showcase']);
    const m = await runDial(['list', showcase.address, 'Showcase', '--json'], {home});
    const j = m.json<{service: string; methods: {fullName: string; kind: string}[]}>();
    assert.equal(j.service, 'showcase.v1.Showcase');
    assert.deepEqual(j.methods.map((x) => `${x.fullName} ${x.kind}`), [
      'showcase.v1.Showcase/Echo unary', 'showcase.v1.Showcase/Count server_streaming', 'showcase.v1.Showcase/Sum client_streaming',
      'showcase.v1.Showcase/Chat bidi_streaming', 'showcase.v1.Showcase/Fail unary', 'showcase.v1.Showcase/Pack unary',
    ]);
  });

  it('describe: a message by short name as proto text; a method; descriptors under --json; near-miss suggestions', async () => {
    const r = await runDial(['describe', showcase.address, 'Everything'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^showcase\.v1\.Everything is a message \(showcase\/v1\/showcase\.proto\):\n\/\/ One field of every kind\.\nmessage Everything \{/, "with the comments of the .proto file, which the demo reflection serves");
    assert.match(r.stdout, /map<int32, showcase\.v1\.Point> points = 15;/);
    assert.match(r.stdout, /oneof shape \{\n {4}showcase\.v1\.Circle circle = 16;/);
    assert.match(r.stdout, /google\.protobuf\.Timestamp at = 20;/);
    const m = await runDial(['describe', showcase.address, 'showcase.v1.Showcase/Chat', '--json'], {home});
    const d = m.json<{symbols: {kind: string; text: string; descriptor: {clientStreaming: boolean; serverStreaming: boolean; inputType: string}}[]}>().symbols[0];
    assert.equal(d.kind, 'method');
    assert.deepEqual([d.descriptor.clientStreaming, d.descriptor.serverStreaming, d.descriptor.inputType], [true, true, '.showcase.v1.ChatMessage']);
    assert.equal(d.text.trim(), '// Bidi streaming: answers each message as it arrives.\nrpc Chat(stream showcase.v1.ChatMessage) returns (stream showcase.v1.ChatMessage);');
    const miss = await runDial(['describe', showcase.address, 'showcase.v1.Everythin'], {home});
    assert.equal(miss.code, 64 + 5);
    assert.match(miss.stderr, /no symbol 'showcase\.v1\.Everythin' \(did you mean 'showcase\.v1\.Everything'/);

  });

  it('describe --json gives the same descriptor by reflection as from --proto (no empty extendee/typeName)', async () => {
    const proto = ['--proto', join(ROOT, 'proto/showcase/v1/showcase.proto'), '-I', join(ROOT, 'proto')];
    for (const symbol of ['showcase.v1.Point', 'showcase.v1.Everything']) {
      const [byReflection, fromFile] = await Promise.all([[showcase.address], proto].map(async (src) => {
        const r = await runDial(['describe', ...src, symbol, '--json'], {home});
        assert.equal(r.code, 0, r.stderr);
        return r.json<{symbols: {descriptor: {field: Record<string, unknown>[]}}[]}>().symbols[0].descriptor;
      }));
      assert.deepEqual(byReflection, fromFile, symbol);
      assert.ok(!JSON.stringify(byReflection).includes('"extendee":""'));
    }
  });

  it('describe a whole file by its name (with slashes), by reflection and from --proto', async () => {
    for (const [args, file, first] of [
      [[showcase.address], 'showcase/v1/showcase.proto', /^showcase\/v1\/showcase\.proto is a file/],
      [[showcase.address], 'showcase/v1/notes.proto', /^showcase\/v1\/notes\.proto is a file/],
      [['--proto', HELLO_PROTO, '-I', join(ROOT, 'proto')], 'helloworld/helloworld.proto', /^helloworld\/helloworld\.proto is a file/],
    ] as const) {
      const r = await runDial(['describe', ...args, file], {home});
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, first);
      const j = await runDial(['describe', ...args, file, '--json'], {home});
      assert.equal(j.json<{symbols: {kind: string; file: string}[]}>().symbols[0].file, file);
    }
  });

  it('call: streams as they arrive (--ndjson), bidi from stdin, -v shows metadata, status and each network layer', async () => {
    const r = await runDial(['call', showcase.address, 'Count', '-d', '{"count":3}', '--ndjson'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as {n: string}).n), ['1', '2', '3']);
    const chat = await runDial(['call', showcase.address, 'showcase.v1.Showcase/Chat', '-d', '@-', '-v', '-H', 'x-who: me'], {home, input: '{"text":"a"}\n{"text":"b"}\n'});
    assert.equal(chat.code, 0, chat.stderr);
    assert.deepEqual(chat.stdout.trim().split(/\n(?=\{)/).map((m) => (JSON.parse(m) as {text: string}).text), ['you said: a', 'you said: b']);
    for (const re of [/Request metadata:\n(.|\n)*x-who: me/, /traceparent: 00-/, /Response trailers:\n(.|\n)*grpc-status: 0/, /Status: 0 OK/,
      /tcp connect +\d+\.\d+ ms/, /http\/2 preface\+settings +\d+\.\d+ ms/, /schema +\d+\.\d+ ms +server reflection/, /first response byte +\d+\.\d+ ms/, /total +\d+\.\d+ ms +2 message/]) {
      assert.match(chat.stderr, re);
    }
  });

  it('an RPC error exits 64+code with decoded details; --json holds the whole outcome', async () => {
    const r = await runDial(['call', showcase.address, 'Fail', '-d', '{"code":7,"message":"no entry"}', '--json'], {home});
    assert.equal(r.code, 64 + 7);
    const o = r.json<{status: {name: string; message: string; details: {'@type': string}[]}; trailers: Record<string, string>; timing: {totalMs: number}}>();
    assert.deepEqual([o.status.name, o.status.message], ['PERMISSION_DENIED', 'no entry']);
    assert.equal(o.status.details[1]['@type'], 'type.googleapis.com/google.rpc.ErrorInfo');
    assert.ok(o.trailers['grpc-status-details-bin']);
    const human = await runDial(['call', showcase.address, 'Fail'], {home});
    assert.equal(human.code, 64 + 3);
    assert.match(human.stderr, /Code: INVALID_ARGUMENT\n {2}Message: failed as asked \(code 3\)\n {2}Details:\n(.|\n)*"@type": "type\.googleapis\.com\/google\.rpc\.BadRequest"/);
  });

  it('gRPC-Web and Connect with --protocol (HTTP/1.1, or HTTP/2 with --http2)', async () => {
    for (const args of [['--protocol', 'grpc-web'], ['--protocol', 'connect'], ['--protocol', 'connect', '--http2']]) {
      const r = await runDial(['call', showcase.address, 'Echo', '-d', '{"i64":"9007199254740993"}', '--json', ...args], {home});
      assert.equal(r.code, 0, r.stderr);
      const o = r.json<{protocol: string; messages: {i64: string; server: {protocol: string}}[]; connection: {httpVersion: string}}>();
      assert.deepEqual([o.protocol, o.messages[0].server.protocol, o.messages[0].i64, o.connection.httpVersion], [args[1], args[1], '9007199254740993', args[2] ? '2' : '1.1']);
    }
  });

  it('no deadline unless --max-time is given (as grpcurl and buf curl): no grpc-timeout header by default', async () => {
    const r = await runDial(['call', showcase.address, 'Echo', '-d', '{}', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json<{requestHeaders: Record<string, string>}>().requestHeaders['grpc-timeout'], undefined);
    const m = await runDial(['call', showcase.address, 'Echo', '-d', '{}', '--json', '--max-time', '5s'], {home});
    assert.match(m.json<{requestHeaders: Record<string, string>}>().requestHeaders['grpc-timeout'], /^\d+m$/);
  });

  it('bidi streaming over gRPC-Web or Connect on HTTP/1.1 says it needs --http2 (exit 2); with --http2 it works', async () => {
    for (const protocol of ['grpc-web', 'connect']) {
      const r = await runDial(['call', showcase.address, 'Chat', '--protocol', protocol, '-d', '{"text":"a"}'], {home});
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`Chat is bidi streaming, which ${protocol} cannot do over HTTP/1\\.1\\nhint: +add --http2`));
    }
    const ok = await runDial(['call', showcase.address, 'Chat', '--protocol', 'connect', '--http2', '-d', '{"text":"a"}'], {home});
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /you said: a/);
  });

  it('a server without reflection: the hint says --proto; --proto and --protoset work, over a unix socket too', async (t) => {
    const r = await runDial(['call', bare.address, 'SayHello'], {home});
    assert.equal(r.code, 64 + 12);
    assert.match(r.stderr, /does not support server reflection/);
    assert.match(r.stderr, /--proto FILE/);
    const p = await runDial(['call', bare.address, 'SayHello', '--proto', HELLO_PROTO, '-d', '{"name":"file"}'], {home});
    assert.equal(p.code, 0, p.stderr);
    assert.equal((JSON.parse(p.stdout) as {message: string}).message, 'Hello, file!');
    const u = await runDial(['call', 'localhost', 'helloworld.Greeter/SayHello', '--unix', bare.socket!, '--proto', HELLO_PROTO, '-d', '{"name":"sock"}'], {home});
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stdout, /Hello, sock!/);
    const desc = await runDial(['describe', '--proto', HELLO_PROTO, 'helloworld.HelloRequest'], {home});
    assert.match(desc.stdout, /\/\/ Number of replies for SayHelloStreamReply\.\n {2}int32 count = 2;/, 'comments from the .proto file');
    if (!existsSync('/usr/bin/protoc')) return t.skip('protoc is not installed: apt-get install -y protobuf-compiler');
    const set = join(mkdtempSync(join(tmpdir(), 'dial-pset-')), 'hello.protoset');
    execFileSync('/usr/bin/protoc', ['-I', join(ROOT, 'proto'), '--include_imports', `--descriptor_set_out=${set}`, 'helloworld/helloworld.proto']);
    const s = await runDial(['call', bare.address, 'SayHelloStreamReply', '--protoset', set, '-d', '{"name":"set","count":2}', '--ndjson'], {home});
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.stdout.trim().split('\n').length, 2);
  });

  it('--proto names relative to an --import-path work from any folder (as with protoc and grpcurl)', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'dial-cwd-'));
    const r = await runDial(['list', '--proto', 'shop/v1/shop.proto', '-I', join(ROOT, 'test/fixtures/proto')], {home, cwd: elsewhere});
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'shop.v1.Orders');
    const d = await runDial(['describe', '--proto', 'helloworld.proto', '-I', join(ROOT, 'proto/helloworld'), 'HelloRequest'], {home, cwd: elsewhere});
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /^helloworld\.HelloRequest is a message \(helloworld\.proto\)/);
  });

  it('schema file errors: a missing import, a protoset that is not one', async () => {
    const r = await runDial(['list', '--proto', join(ROOT, 'test/fixtures/proto/broken.proto'), '-I', join(ROOT, 'test/fixtures/proto')], {home});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /imports 'shop\/v1\/missing\.proto', which is in none of the import paths/);
    const bad = join(mkdtempSync(join(tmpdir(), 'dial-bad-')), 'x.protoset');
    writeFileSync(bad, 'not a descriptor set');
    const p = await runDial(['list', '--protoset', bad], {home});
    assert.equal(p.code, 2);
    assert.match(p.stderr, /is not a FileDescriptorSet/);
  });

  it('connection errors name the address, the layer and what to try', async (t) => {
    const refused = await runDial(['call', '127.0.0.1:1', 'SayHello'], {home});
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /cannot reach 127\.0\.0\.1:1 \(connection refused\)/);
    // An HTTP/1 server.
    const h1 = net.createServer((s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n')));
    // A server that accepts and then never speaks.
    const mute = net.createServer(() => undefined);
    await Promise.all([h1, mute].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    t.after(() => {
      h1.close();
      mute.close();
    });
    const port = (s: net.Server) => (s.address() as net.AddressInfo).port;
    const r1 = await runDial(['call', `127.0.0.1:${port(h1)}`, 'SayHello'], {home});
    assert.equal(r1.code, 3);
    assert.match(r1.stderr, /is an HTTP\/1 server, not an HTTP\/2 \(gRPC\) one/);
    const r2 = await runDial(['call', `127.0.0.1:${port(mute)}`, 'SayHello', '--connect-timeout', '300ms'], {home});
    assert.equal(r2.code, 3);
    assert.match(r2.stderr, /timed out connecting to 127\.0\.0\.1:\d+ after 300ms \(HTTP\/2 settings\)/);
    const r3 = await runDial(['call', showcase.address, 'Echo', '--tls', '--insecure'], {home});
    assert.equal(r3.code, 3);
    assert.match(r3.stderr, /TLS handshake with 127\.0\.0\.1:\d+ failed(.|\n)*does not seem to speak TLS/);
  });

  it('TLS: --cacert verifies, -v shows the version and cipher; an unknown CA says what to pass', async (t) => {
    const pki = selfSigned(t);
    if (!pki) return;
    const tlsServer = await startGrpcJsGreeter({tls: pki});
    t.after(() => tlsServer.close());
    const ok = await runDial(['call', tlsServer.address, 'SayHello', '--cacert', pki.certFile, '-d', '{"name":"tls"}', '-v'], {home});
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Hello, tls!/);
    assert.match(ok.stderr, /tls handshake +\d+\.\d+ ms +TLSv1\.3, TLS_\w+, ALPN h2/);
    const unknownCa = await runDial(['call', tlsServer.address, 'SayHello', '--tls'], {home});
    assert.equal(unknownCa.code, 3);
    assert.match(unknownCa.stderr, /dial rejected the certificate of 127\.0\.0\.1:\d+: it is self-signed and not trusted|its chain ends at a root dial does not trust/);
    assert.match(unknownCa.stderr, /--cacert FILE/);
    const insecure = await runDial(['call', tlsServer.address, 'SayHello', '--insecure', '--json'], {home});
    assert.equal(insecure.code, 0, insecure.stderr);
    const plain = await runDial(['call', tlsServer.address, 'SayHello'], {home});
    assert.equal(plain.code, 3);
    assert.match(plain.stderr, /expects TLS, but dial spoke plaintext/);
    const der = join(mkdtempSync(join(tmpdir(), 'dial-der-')), 'ca.der');
    writeFileSync(der, execFileSync('openssl', ['x509', '-in', pki.certFile, '-outform', 'der']));
    const notPem = await runDial(['call', tlsServer.address, 'SayHello', '--cacert', der], {home});
    assert.equal(notPem.code, 2, notPem.stderr);
    assert.match(notPem.stderr, /--cacert .*ca\.der is not a PEM file/);
    const wrongName = await runDial(['call', tlsServer.address, 'SayHello', '--cacert', pki.certFile, '--servername', 'other.example'], {home});
    assert.equal(wrongName.code, 3);
    assert.match(wrongName.stderr, /--servername/);
  });
});
