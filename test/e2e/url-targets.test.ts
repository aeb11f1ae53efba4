import assert from 'node:assert/strict';
import {execFile, execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import * as http2 from 'node:http2';
import {createServer as createHttpsServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {connectNodeAdapter} from '@connectrpc/connect-node';
import jayson from 'jayson';
import {addConnectReflection, listenOnePort} from '../../src/demo/grpc-kit/index.js';
import {addShowcase} from '../../src/demo/showcase/service.js';
import {file_google_rpc_error_details} from '../../src/gen/google/rpc/error_details_pb.js';
import {file_showcase_v1_notes} from '../../src/gen/showcase/v1/notes_pb.js';
import {file_showcase_v1_showcase} from '../../src/gen/showcase/v1/showcase_pb.js';
import {runDemo} from '../demo/run-demo.js';
import {ROOT, runDial} from '../helpers/cli.js';
import {startGrpcJsGreeter, type RunningServer} from '../helpers/grpc-servers.js';

const BUF = join(ROOT, 'node_modules/@bufbuild/buf-linux-x64/bin/buf');

/** A test CA and a certificate for 127.0.0.1 / localhost that it signed (openssl). */
function testPki(dir: string): {ca: string; key: Buffer; cert: Buffer} {
  const run = (args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'ignore'});
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=dial url test CA']);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'ext.cnf']);
  return {ca: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem'))};
}

const showcaseHandler = (prefix?: string) => connectNodeAdapter({
  ...(prefix ? {requestPathPrefix: prefix} : {}),
  routes: (router) => {
    addShowcase(router, {instance: 'url-showcase'});
    addConnectReflection(router, [file_showcase_v1_showcase, file_showcase_v1_notes, file_google_rpc_error_details]);
  },
});

async function listening(server: Server | http2.Http2SecureServer | ReturnType<typeof createHttpsServer>): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** buf curl's output, as JSON. */
function bufCurl(args: string[]): Promise<{code: number; json?: unknown; stderr: string}> {
  return new Promise((resolve) => {
    execFile(BUF, ['curl', ...args], {timeout: 20_000}, (err, stdout, stderr) => {
      resolve({code: err ? Number((err as {code?: number}).code ?? 1) : 0, json: stdout.trim() ? JSON.parse(stdout) : undefined, stderr});
    });
  });
}

/** An Echo response without what differs between two calls (time, request headers). */
function stable(v: unknown): unknown {
  const o = structuredClone(v) as {server?: Record<string, unknown>};
  if (o.server) {
    delete o.server.receivedAt;
    delete o.server.headers;
  }
  return o;
}

const NO_OPENSSL = existsSync('/usr/bin/openssl') ? false : 'openssl is not installed: apt-get install -y openssl';

describe('URL targets: dial call|list|describe http(s)://...', {concurrency: false, skip: NO_OPENSSL}, () => {
  let home: string;
  let pkiDir: string;
  let pki: ReturnType<typeof testPki>;
  let plain: Awaited<ReturnType<typeof listenOnePort>>;
  let prefixed: Awaited<ReturnType<typeof listenOnePort>>;
  let tlsShowcase: http2.Http2SecureServer;
  let tlsPort: number;
  let greeter: RunningServer;
  let rest: Awaited<ReturnType<typeof runDemo>>;
  let soap: Awaited<ReturnType<typeof runDemo>>;
  let jsonRpc: Server;
  let jsonRpcPort: number;
  let httpsRest: ReturnType<typeof createHttpsServer>;
  let httpsRestPort: number;
  let python: ChildProcess | undefined;
  let xmlRpcPort = 0;
  const dial = (args: string[]) => runDial(args, {home});

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'dial-url-'));
    pkiDir = mkdtempSync(join(tmpdir(), 'dial-url-pki-'));
    pki = testPki(pkiDir);
    plain = await listenOnePort(showcaseHandler(), {host: '127.0.0.1', port: 0});
    prefixed = await listenOnePort(showcaseHandler('/api'), {host: '127.0.0.1', port: 0});
    tlsShowcase = http2.createSecureServer({key: pki.key, cert: pki.cert, allowHTTP1: true}, showcaseHandler() as never);
    tlsPort = await listening(tlsShowcase);
    greeter = await startGrpcJsGreeter();
    [rest, soap] = await Promise.all([runDemo('greeter-rest', 'demo/greeter/rest-main.js'), runDemo('greeter-soap', 'demo/greeter/soap-main.js')]);
    // JSON-RPC (jayson) only at /api/jsonrpc, so a call that reaches it went to the URL's path.
    const rpc = new jayson.Server({SayHello: (args: {name: string}, done: (e: unknown, r?: unknown) => void) => done(null, {message: `Hello, ${args.name}!`})});
    const jaysonListener = rpc.http().listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
    jsonRpc = createServer((req, res) => (req.url === '/api/jsonrpc' ? jaysonListener(req, res) : void res.writeHead(404).end('not here')));
    jsonRpcPort = await listening(jsonRpc);
    httpsRest = createHttpsServer({key: pki.key, cert: pki.cert}, (req, res) => {
      res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({path: req.url, host: req.headers.host}));
    });
    httpsRestPort = await listening(httpsRest);
    // An independent XML-RPC server: Python's, answering only at /RPC2.
    if (existsSync('/usr/bin/python3')) {
      python = spawn('/usr/bin/python3', ['-c', [
        'from xmlrpc.server import SimpleXMLRPCServer, SimpleXMLRPCRequestHandler',
        'class Handler(SimpleXMLRPCRequestHandler): rpc_paths = ("/RPC2",)',
        's = SimpleXMLRPCServer(("127.0.0.1", 0), requestHandler=Handler, logRequests=False)',
        's.register_function(lambda a, b: a + b, "add")',
        'print(s.server_address[1], flush=True)',
        's.serve_forever()',
      ].join('\n')], {stdio: ['ignore', 'pipe', 'inherit']});
      xmlRpcPort = await new Promise<number>((resolve, reject) => {
        python!.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
        python!.once('exit', (c) => reject(new Error(`python3 exited with ${c}`)));
      });
    }
  });

  after(async () => {
    python?.kill();
    await Promise.all([plain?.close(), prefixed?.close(), greeter?.close(), rest?.stop(), soap?.stop()]);
    for (const s of [tlsShowcase, jsonRpc, httpsRest]) {
      (s as {closeAllConnections?: () => void} | undefined)?.closeAllConnections?.();
      await new Promise((r) => (s ? s.close(r) : r(undefined)));
    }
    rmSync(home, {recursive: true, force: true});
    rmSync(pkiDir, {recursive: true, force: true});
  });

  const echo = '{"text":"hi","i64":"9007199254740993"}';

  it('buf curl\'s form https://host/pkg.Service/Method with --cacert: the same response as the buf binary, for its default (connect), grpc and grpcweb', async () => {
    const url = `https://127.0.0.1:${tlsPort}/showcase.v1.Showcase/Echo`;
    for (const protocol of [undefined, 'grpc', 'grpcweb']) {
      const p = protocol ? ['--protocol', protocol] : [];
      const [d, b] = await Promise.all([dial(['call', url, '--cacert', pki.ca, '-d', echo, ...p]), bufCurl([url, '--cacert', pki.ca, '-d', echo, ...p])]);
      assert.equal(d.code, 0, d.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.deepEqual(stable(JSON.parse(d.stdout)), stable(b.json), `--protocol ${protocol ?? '(default)'}`);
      assert.equal((JSON.parse(d.stdout) as {server: {protocol: string}}).server.protocol, protocol === 'grpcweb' ? 'grpc-web' : protocol ?? 'connect');
    }
  });

  it('https without --cacert verifies against the system roots: a test CA is not among them', async () => {
    const r = await dial(['call', `https://127.0.0.1:${tlsPort}/showcase.v1.Showcase/Echo`, '-d', echo]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /--cacert/);
  });

  it('http:// is plaintext, h2c for gRPC, as buf curl with --http2-prior-knowledge; dial\'s spellings (grpc-web) work too', async () => {
    const url = `http://127.0.0.1:${plain.port}/showcase.v1.Showcase/Echo`;
    const [d, b] = await Promise.all([dial(['call', url, '--protocol', 'grpc', '-d', echo]), bufCurl([url, '--protocol', 'grpc', '--http2-prior-knowledge', '-d', echo])]);
    assert.equal(d.code, 0, d.stderr);
    assert.deepEqual(stable(JSON.parse(d.stdout)), stable(b.json));
    const web = await dial(['call', url, '--protocol', 'grpc-web', '-d', echo, '--json']);
    assert.equal(web.code, 0, web.stderr);
    assert.equal(web.json<{protocol: string}>().protocol, 'grpc-web');
  });

  it('a base path before pkg.Service/Method (the server\'s route prefix), and a METHOD after a base URL', async () => {
    const viaPath = await dial(['call', `http://127.0.0.1:${prefixed.port}/api/showcase.v1.Showcase/Echo`, '-d', echo]);
    assert.equal(viaPath.code, 0, viaPath.stderr);
    const viaArg = await dial(['call', `http://127.0.0.1:${prefixed.port}/api`, 'Echo', '--protocol', 'connect', '-d', echo]);
    assert.equal(viaArg.code, 0, viaArg.stderr);
    assert.deepEqual(stable(JSON.parse(viaArg.stdout)), stable(JSON.parse(viaPath.stdout)));
    const noPrefix = await dial(['call', `http://127.0.0.1:${prefixed.port}/showcase.v1.Showcase/Echo`, '-d', echo]);
    assert.notEqual(noPrefix.code, 0);
  });

  it('gRPC (grpc-js) at http://HOST:PORT with METHOD', async () => {
    const r = await dial(['call', `http://${greeter.address}`, 'helloworld.Greeter/SayHello', '-d', '{"name":"url"}']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"message": "Hello, url!"/);
  });

  it('REST: the path in the URL, or after the HTTP method; https with --cacert', async () => {
    for (const args of [[`http://${rest.hostPort}/hello/ada`, 'GET'], [`http://${rest.hostPort}`, 'GET', '/hello/ada']]) {
      const r = await dial(['call', ...args]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /"message": "Hello, ada!"/);
    }
    const s = await dial(['call', `https://127.0.0.1:${httpsRestPort}/v1/items?id=7`, 'GET', '--cacert', pki.ca, '--json']);
    assert.equal(s.code, 0, s.stderr);
    const o = s.json<{messages: {path: string; host: string}[]; http: {url: string}}>();
    assert.deepEqual(o.messages[0], {path: '/v1/items?id=7', host: `127.0.0.1:${httpsRestPort}`});
    assert.equal(o.http.url, `https://127.0.0.1:${httpsRestPort}/v1/items?id=7`);
  });

  it('JSON-RPC: POSTs to the URL\'s path (and only there)', async () => {
    const r = await dial(['call', `http://127.0.0.1:${jsonRpcPort}/api/jsonrpc`, 'SayHello', '--protocol', 'json-rpc', '-d', '{"name":"ada"}']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"message": "Hello, ada!"/);
    const root = await dial(['call', `http://127.0.0.1:${jsonRpcPort}`, 'SayHello', '--protocol', 'jsonrpc', '-d', '{"name":"ada"}']);
    assert.equal(root.code, 69, root.stderr);
  });

  it('XML-RPC: Python\'s SimpleXMLRPCServer at /RPC2', async (t) => {
    if (!xmlRpcPort) return t.skip('python3 is not installed: apt-get install -y python3');
    const r = await dial(['call', `http://127.0.0.1:${xmlRpcPort}/RPC2`, 'add', '--protocol', 'xml-rpc', '-d', '[2, 40]']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '42');
    const root = await dial(['call', `http://127.0.0.1:${xmlRpcPort}/`, 'add', '--protocol', 'xmlrpc', '-d', '[2, 40]']);
    assert.equal(root.code, 69, root.stderr);
  });

  it('SOAP: the endpoint URL picks its port (and SOAP version); URL?wsdl works as the target too', async () => {
    const r = await dial(['call', `http://${soap.hostPort}/greeter12`, 'SayHello', '--protocol', 'soap', '-d', '{"name":"ada"}', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const o = r.json<{http: {url: string}; requestHeaders: Record<string, string>; messages: {message: string}[]}>();
    assert.equal(o.http.url, `http://${soap.hostPort}/greeter12`);
    assert.match(o.requestHeaders['Content-Type'] ?? o.requestHeaders['content-type'] ?? '', /application\/soap\+xml/);
    assert.equal(o.messages[0].message, 'Hello, ada!');
    const w = await dial(['call', `http://${soap.hostPort}/greeter?wsdl`, 'SayHello', '--protocol', 'soap', '-d', '{"name":"bob"}']);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stdout, /Hello, bob!/);
  });

  it('dial list and describe: reflection over an https URL; a SOAP WSDL URL', async () => {
    const l = await dial(['list', `https://127.0.0.1:${tlsPort}`, '--cacert', pki.ca]);
    assert.equal(l.code, 0, l.stderr);
    assert.match(l.stdout, /^showcase\.v1\.Showcase$/m);
    const m = await dial(['list', `http://127.0.0.1:${prefixed.port}/api`, 'Showcase']);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /showcase\.v1\.Showcase\/Echo/);
    const d = await dial(['describe', `https://127.0.0.1:${tlsPort}`, 'showcase.v1.Showcase/Echo', '--cacert', pki.ca]);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /rpc Echo\(showcase\.v1\.Everything\) returns \(showcase\.v1\.Everything\)/);
    // buf curl's form names the method: describe shows it, list its service's methods.
    const inUrl = await dial(['describe', `http://127.0.0.1:${prefixed.port}/api/showcase.v1.Showcase/Echo`]);
    assert.equal(inUrl.code, 0, inUrl.stderr);
    assert.match(inUrl.stdout, /^showcase\.v1\.Showcase\.Echo is a method/);
    const listUrl = await dial(['list', `https://127.0.0.1:${tlsPort}/showcase.v1.Showcase/Echo`, '--cacert', pki.ca]);
    assert.equal(listUrl.code, 0, listUrl.stderr);
    assert.match(listUrl.stdout, /showcase\.v1\.Showcase\/Chat +bidi_streaming/);
    const w = await dial(['describe', `http://${soap.hostPort}/greeter?wsdl`, '--json']);
    assert.equal(w.code, 0, w.stderr);
    assert.deepEqual(w.json<{services: {name: string}[]}>().services.map((s) => s.name), ['GreeterService']);
    const e = await dial(['describe', `http://${soap.hostPort}/greeter`, '--protocol', 'soap']);
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stdout, /port GreeterSoap12 +SOAP 1\.2/);
  });

  it('the REPL takes a URL target: use https://... then a bare method', async () => {
    const r = await runDial(['repl'], {home, input: `use http://127.0.0.1:${plain.port}\ncall Echo -d '{"text":"repl"}'\n`});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"text": "repl"/);
  });

  const usage: [string, string[] | (() => string[]), RegExp][] = [
    ['a scheme other tools use for gRPC', ['call', 'grpc://127.0.0.1:1/showcase.v1.Showcase/Echo'], /dial does not call grpc:\/\/ URLs[\s\S]*write http:\/\/127\.0\.0\.1:1\/showcase\.v1\.Showcase\/Echo/],
    ['an unknown scheme lists the supported ones', ['call', 'ftp://127.0.0.1:1/x', 'Get'], /supported schemes: http:\/\/ \(.*\), https:\/\//],
    ['https with --plaintext', ['call', 'https://127.0.0.1:1/showcase.v1.Showcase/Echo', '--plaintext'], /https:\/\/ URL \(TLS\), and --plaintext[\s\S]*write http:\/\/127\.0\.0\.1:1/],
    ['http with --cacert', () => ['call', 'http://127.0.0.1:1/showcase.v1.Showcase/Echo', '--cacert', pki.ca], /http:\/\/ URL \(plaintext\)[\s\S]*write https:\/\/127\.0\.0\.1:1/],
    ['the method in the URL and a different one after it', ['call', 'http://127.0.0.1:1/showcase.v1.Showcase/Echo', 'Chat'], /the method is given twice[\s\S]*dial call http:\/\/127\.0\.0\.1:1\/showcase\.v1\.Showcase\/Chat/],
    ['the REST path in the URL and as an argument', ['call', 'http://127.0.0.1:1/hello/ada', 'GET', '/hello/bob'], /the path is given twice[\s\S]*dial call http:\/\/127\.0\.0\.1:1 GET \/hello\/bob/],
    ['a path and METHOD without --protocol', ['call', 'http://127.0.0.1:1/RPC2', 'add'], /which protocol is http:\/\/127\.0\.0\.1:1\/RPC2 for[\s\S]*--protocol/],
    ['no method anywhere', ['call', 'http://127.0.0.1:1/'], /names no method/],
    ['a JSON-RPC path as an argument', ['call', 'http://127.0.0.1:1', 'add', '/rpc', '--protocol', 'json-rpc'], /endpoint path goes in the URL: dial call http:\/\/127\.0\.0\.1:1\/rpc add/],
    ['a URL with --unix', ['call', 'http://127.0.0.1:1/showcase.v1.Showcase/Echo', '--unix', '/tmp/x.sock'], /--unix cannot go with a URL target/],
    ['a URL with --lb', ['call', 'http://127.0.0.1:1/showcase.v1.Showcase/Echo', '--lb', 'p2c'], /not a URL/],
  ];
  for (const [name, args, message] of usage) {
    it(`usage error (exit 2): ${name}`, async () => {
      const r = await dial(typeof args === 'function' ? args() : args);
      assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, message);
    });
  }
});
