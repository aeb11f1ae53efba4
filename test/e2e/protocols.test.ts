import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {clusterSuite, runDial, startCluster} from '../helpers/cli.js';

interface Instance {
  id: string;
  port: number;
  meta: Record<string, string>;
}

describe('dial call in every protocol against the demo greeters', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  let instances: Instance[];
  const by = (kind: string) => instances.find((i) => i.id === `${kind}-1`)!;

  before(async () => {
    await startCluster(home, ['--demos', 'all', '--instances', '1']);
    instances = (await runDial(['discover', 'greeter', '--json'], {home})).json<{instances: Instance[]}>().instances;
  });

  it('cluster up --demos all starts one greeter per protocol, each registered with protocol and codec', () => {
    const seen = instances.map((i) => `${i.meta.protocol}/${i.meta.codec}`).sort();
    assert.deepEqual(seen, ['grpc/protobuf', 'json-rpc/json', 'rest/json', 'rest/msgpack', 'soap/xml', 'thrift/thrift-binary', 'xml-rpc/xml']);
  });

  it('Thrift by registry name: the IDL, transport and protocol come from the instance\'s metadata; --lb balances over the thrift instances', async () => {
    const r = await runDial(['call', 'greeter', 'Greeter.SayHello', '--protocol', 'thrift', '-d', '{"name":"ada"}'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {message: 'Hello, ada!', instance: 'greeter-thrift-1'});
    const lb = await runDial(['call', 'greeter', 'SayHello', '--protocol', 'thrift', '-d', '{"name":"ada"}', '--lb', 'p2c', '-n', '20', '-c', '4', '--json'], {home});
    assert.equal(lb.code, 0, lb.stderr);
    const report = lb.json<{ok: number; method: string; instances: {id: string; requests: number}[]}>();
    assert.deepEqual([report.ok, report.method, report.instances.map((i) => [i.id, i.requests])], [20, 'Greeter.SayHello', [['greeter-thrift-1', 20]]]);
  });

  it('a gRPC method still goes to a gRPC instance', async () => {
    const r = await runDial(['call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"instance": "greeter-grpc-1"/);
  });

  it('REST: an HTTP method and a path pick a rest instance (json or msgpack) through the registry', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await runDial(['call', 'greeter', 'GET', '/hello/ada', '--json'], {home});
      assert.equal(r.code, 0, r.stderr);
      const o = r.json<{protocol: string; codec: string; messages: {message: string; instance: string}[]}>();
      assert.equal(o.protocol, 'rest');
      assert.equal(o.messages[0].message, 'Hello, ada!');
      assert.equal(o.messages[0].instance, o.codec === 'msgpack' ? 'greeter-msgpack-1' : 'greeter-rest-1');
    }
  });

  it('REST: POST with -d, --codec picks the msgpack instance, -H and --query arrive', async () => {
    const r = await runDial(['call', 'greeter', 'POST', '/echo', '-d', '{"name":"ada"}', '--codec', 'msgpack', '-H', 'x-trace: 7', '--query', 'lang=en'], {home});
    assert.equal(r.code, 0, r.stderr);
    const echo = JSON.parse(r.stdout) as {method: string; query: Record<string, string>; headers: Record<string, string>; body: unknown};
    assert.deepEqual([echo.method, echo.query, echo.headers['x-trace'], echo.headers['content-type'], echo.body], ['POST', {lang: 'en'}, '7', 'application/msgpack', {name: 'ada'}]);
  });

  it('REST: HTTP status becomes the exit code (404 -> 64+5), body on stdout, error on stderr', async () => {
    const r = await runDial(['call', `127.0.0.1:${by('greeter-rest').port}`, 'GET', '/nope'], {home});
    assert.equal(r.code, 69);
    assert.match(r.stdout, /no route GET \/nope/);
    assert.match(r.stderr, /NOT_FOUND[\s\S]*HTTP 404 Not Found/);
  });

  it('-v shows the HTTP exchange', async () => {
    const r = await runDial(['call', `127.0.0.1:${by('greeter-rest').port}`, 'GET', '/hello/ada', '-v'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Protocol: rest \(json\), GET http:\/\/127\.0\.0\.1:\d+\/hello\/ada -> HTTP 200 OK/);
  });

  it('JSON-RPC and XML-RPC with --protocol', async () => {
    const j = await runDial(['call', 'greeter', 'SayHello', '--protocol', 'json-rpc', '-d', '{"name":"ada"}'], {home});
    assert.equal(j.code, 0, j.stderr);
    assert.deepEqual(JSON.parse(j.stdout), {message: 'Hello, ada!', instance: 'greeter-jsonrpc-1'});
    const x = await runDial(['call', 'greeter', 'SayHello', '--protocol', 'xml-rpc', '-d', '{"name":"ada"}', '--json'], {home});
    assert.equal(x.code, 0, x.stderr);
    assert.deepEqual(x.json<{messages: unknown[]}>().messages, [{message: 'Hello, ada!', instance: 'greeter-xmlrpc-1'}]);
  });

  it('SOAP 1.1 and 1.2: the WSDL comes from the instance metadata; a fault exits 64+3', async () => {
    for (const version of ['1.1', '1.2']) {
      const r = await runDial(['call', 'greeter', 'SayHello', '--protocol', 'soap', '--soap-version', version, '-d', '{"name":"ada"}', '--json'], {home});
      assert.equal(r.code, 0, r.stderr);
      const o = r.json<{messages: unknown[]; http: {url: string}; method: string}>();
      assert.deepEqual(o.messages, [{message: 'Hello, ada!', instance: 'greeter-soap-1'}]);
      assert.match(o.http.url, version === '1.1' ? /\/greeter$/ : /\/greeter12$/);
    }
    const f = await runDial(['call', 'greeter', 'SayHello', '--protocol', 'soap', '-d', '{"name":""}'], {home});
    assert.equal(f.code, 67, f.stderr);
    assert.match(f.stderr, /SOAP fault soap:Client: name must not be empty/);
  });

  it('--wsdl implies SOAP (no --protocol needed)', async () => {
    const port = by('greeter-soap').port;
    const r = await runDial(['call', `127.0.0.1:${port}`, 'SayHello', '--wsdl', `http://127.0.0.1:${port}/greeter?wsdl`, '-d', '{"name":"ada"}', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const o = r.json<{protocol: string; messages: unknown[]}>();
    assert.deepEqual([o.protocol, o.messages], ['soap', [{message: 'Hello, ada!', instance: 'greeter-soap-1'}]]);
  });

  it('describe --protocol soap lists the operations of the WSDL the instance registered', async () => {
    const r = await runDial(['describe', 'greeter', '--protocol', 'soap'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^service GreeterService$/m);
    assert.match(r.stdout, /port GreeterSoap {2}SOAP 1\.1 {2}http:\/\/127\.0\.0\.1:\d+\/greeter$/m);
    assert.match(r.stdout, /port GreeterSoap12 {2}SOAP 1\.2/);
    assert.match(r.stdout, /SayHello\(name: xsd:string\) -> \{message: xsd:string, instance: xsd:string\}/);
    const j = await runDial(['describe', 'greeter', 'GreeterSoap12.SayHello', '--protocol', 'soap', '--json'], {home});
    const d = j.json<{services: {ports: {name: string; soapVersion: string; operations: {name: string; soapAction: string}[]}[]}[]}>();
    assert.deepEqual(d.services[0].ports.map((p) => [p.name, p.soapVersion, p.operations[0].soapAction]), [['GreeterSoap12', '1.2', 'urn:dial:greeter#SayHello']]);
  });

  it('a batch from NDJSON on stdin; an error object exits 64+N', async () => {
    const b = await runDial(['call', 'greeter', 'SayHello', '--protocol', 'json-rpc', '-d', '@-'], {home, input: '["a"]\n{"name":"b"}\n'});
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /Hello, a![\s\S]*Hello, b!/);
    const e = await runDial(['call', 'greeter', 'Nope', '--protocol', 'xml-rpc'], {home});
    assert.equal(e.code, 76, e.stderr);
    assert.match(e.stderr, /UNIMPLEMENTED[\s\S]*XML-RPC fault -32601: method not found: Nope/);
  });

  it('a service without gRPC instances is called in the protocol its instances registered', async () => {
    const api = (await runDial(['cluster', 'status', '--json'], {home})).json<{api: {url: string}}>().api.url;
    const rpc = by('greeter-jsonrpc');
    const res = await fetch(`${api}/v1/agent/service/register`, {
      method: 'PUT',
      body: JSON.stringify({ID: 'calc-1', Name: 'calc', Address: '127.0.0.1', Port: rpc.port, Meta: {protocol: 'json-rpc', codec: 'json'}}),
    });
    assert.equal(res.status, 200);
    const r = await runDial(['call', 'calc', 'Echo', '-d', '[1, 2]', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const o = r.json<{protocol: string; messages: unknown[]}>();
    assert.deepEqual([o.protocol, o.messages], ['json-rpc', [[1, 2]]]);
  });

  it('instances registered with `dial register --protocol http|jsonrpc|xmlrpc` are called by name; --protocol takes those spellings too', async () => {
    for (const [name, spelling, kind] of [['calc-j', 'jsonrpc', 'greeter-jsonrpc'], ['calc-x', 'xmlrpc', 'greeter-xmlrpc'], ['calc-h', 'http', 'greeter-rest']]) {
      const reg = await runDial(['register', name, '--port', String(by(kind).port), '--protocol', spelling], {home});
      assert.equal(reg.code, 0, reg.stderr);
    }
    const j = await runDial(['call', 'calc-j', 'SayHello', '-d', '["ada"]', '--json'], {home});
    assert.equal(j.code, 0, j.stderr);
    assert.deepEqual(j.json<{protocol: string; messages: unknown[]}>().messages, [{message: 'Hello, ada!', instance: 'greeter-jsonrpc-1'}]);
    const jp = await runDial(['call', 'calc-j', 'SayHello', '--protocol', 'jsonrpc', '-d', '["ada"]', '--json'], {home});
    assert.equal(jp.code, 0, jp.stderr);
    assert.equal(jp.json<{protocol: string}>().protocol, 'json-rpc');
    const x = await runDial(['call', 'calc-x', 'SayHello', '-d', '{"name":"ada"}', '--json'], {home});
    assert.equal(x.code, 0, x.stderr);
    assert.deepEqual(x.json<{protocol: string; messages: unknown[]}>().protocol, 'xml-rpc');
    const h = await runDial(['call', 'calc-h', 'GET', '/hello/ada'], {home});
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /Hello, ada!/);
    const hp = await runDial(['call', `127.0.0.1:${by('greeter-rest').port}`, 'GET', '/hello/ada', '--protocol', 'http', '--json'], {home});
    assert.equal(hp.code, 0, hp.stderr);
    assert.equal(hp.json<{protocol: string}>().protocol, 'rest');
  });

  it('a path after a non-REST method is a usage error', async () => {
    const r = await runDial(['call', 'greeter', 'SayHello', '/x'], {home});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /only REST calls take a path/);
  });
});
