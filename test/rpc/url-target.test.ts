import assert from 'node:assert/strict';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {connectNodeAdapter} from '@connectrpc/connect-node';
import {addConnectReflection, listenOnePort} from '../../src/demo/grpc-kit/index.js';
import {addShowcase} from '../../src/demo/showcase/service.js';
import {file_showcase_v1_showcase} from '../../src/gen/showcase/v1/showcase_pb.js';
import {balancedCall} from '../../src/lb/real/index.js';
import type {Registry, ServiceInstance} from '../../src/registry/index.js';
import {call, resolveTarget} from '../../src/rpc/index.js';
import {planUrlCall} from '../../src/rpc/url-call.js';
import {parseUrlTarget, urlTransport} from '../../src/rpc/url-target.js';

describe('parseUrlTarget', () => {
  it('host, port (default 80/443), the authority as written, path and query', () => {
    assert.deepEqual(parseUrlTarget('https://api.example/pkg.S/M'), {scheme: 'https', host: 'api.example', port: 443, hostPort: 'api.example:443', authority: 'api.example', path: '/pkg.S/M'});
    assert.deepEqual(parseUrlTarget('http://[::1]:8080/RPC2?x=1'), {scheme: 'http', host: '::1', port: 8080, hostPort: '[::1]:8080', authority: '[::1]:8080', path: '/RPC2?x=1'});
    assert.equal(parseUrlTarget('HTTP://h:1/').path, '');
    assert.equal(parseUrlTarget('http://h:1/?wsdl').path, '/?wsdl');
  });

  it('refuses other schemes (naming the supported ones), credentials in the URL', () => {
    assert.throws(() => parseUrlTarget('grpcs://h:1/x'), /does not call grpcs:\/\/ URLs/);
    assert.throws(() => parseUrlTarget('nope://h'), (e: Error & {hint?: string}) => /http:\/\/ .*https:\/\//.test(e.hint ?? ''));
    assert.throws(() => parseUrlTarget('http://u:p@h:1/'), /credentials/);
  });

  it('urlTransport: https adds the system roots to --cacert; http refuses TLS flags', () => {
    const ca = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const t = urlTransport('https', 'https://h', {tls: {ca}});
    assert.equal(t.security, 'tls');
    assert.ok(t.tls!.ca!.length > ca.length * 10 && t.tls!.ca!.subarray(-ca.length).equals(ca));
    assert.deepEqual(urlTransport('https', 'https://h', {}).tls, {});
    assert.throws(() => urlTransport('http', 'http://h', {security: 'tls'}), /http:\/\/ URL \(plaintext\)/);
    assert.equal(urlTransport('http', 'http://h', {}).security, 'plaintext');
  });
});

describe('planUrlCall', () => {
  it('buf curl\'s form: the method from the path, Connect by default; a base path before it', () => {
    assert.deepEqual(pick(planUrlCall('https://h/pkg.S/M', undefined, undefined, undefined)), ['connect', 'pkg.S/M', '']);
    assert.deepEqual(pick(planUrlCall('https://h/api/v1/pkg.S/M', undefined, 'grpc', undefined)), ['grpc', 'pkg.S/M', '/api/v1']);
    assert.deepEqual(pick(planUrlCall('https://h/pkg.S/M', 'pkg.S.M', undefined, undefined)), ['connect', 'pkg.S/M', '']);
    assert.deepEqual(pick(planUrlCall('http://h:1', 'pkg.S/M', undefined, undefined)), ['grpc', 'pkg.S/M', '']);
    assert.deepEqual(pick(planUrlCall('http://h:1/api', 'M', 'connect', undefined)), ['connect', 'M', '/api']);
    assert.deepEqual(pick(planUrlCall('http://h:1/S/M', undefined, 'grpc-web', undefined)), ['grpc-web', 'S/M', '']);
  });

  it('REST, JSON-RPC, XML-RPC, SOAP: where the path goes', () => {
    assert.equal(planUrlCall('http://h/a/b?c=1', 'GET', undefined, undefined).restPath, '/a/b?c=1');
    assert.equal(planUrlCall('http://h', 'post', undefined, '/x').restPath, '/x');
    assert.equal(planUrlCall('http://h/RPC2', 'add', 'xml-rpc', undefined).targetPath, '/RPC2');
    assert.equal(planUrlCall('http://h', 'add', 'json-rpc', undefined).targetPath, '/');
    const soap = planUrlCall('http://h/greeter?wsdl', 'SayHello', 'soap', undefined);
    assert.deepEqual([soap.targetPath, soap.wsdl], ['/greeter', 'http://h/greeter?wsdl']);
  });

  it('usage errors name the form to use', () => {
    assert.throws(() => planUrlCall('http://h/pkg.S/M', 'Other', undefined, undefined), /method is given twice/);
    assert.throws(() => planUrlCall('http://h/pkg.S/M', 'pkg.S/Other', 'grpc', undefined), /method is given twice/);
    assert.throws(() => planUrlCall('http://h/a', 'GET', undefined, '/b'), /path is given twice/);
    assert.throws(() => planUrlCall('http://h/pkg.S/M?x=1', undefined, undefined, undefined), /takes no query/);
    assert.throws(() => planUrlCall('http://h/x', undefined, 'xml-rpc', undefined), /needs a method name/);
    assert.throws(() => planUrlCall('http://h/x', undefined, 'grpc', undefined), /does not end in pkg.Service\/Method/);
  });
});

function pick(p: ReturnType<typeof planUrlCall>): [string, string, string] {
  return [p.protocol, p.method, p.targetPath];
}

/** A registry holding the given instances (all passing) of one service. */
function registryOf(name: string, instances: Partial<ServiceInstance>[]): () => Promise<Registry> {
  const all = instances.map((i, n) => ({id: `${name}-${n + 1}`, name, address: '127.0.0.1', port: 1, tags: [], meta: {}, weights: {passing: 1, warning: 1}, status: 'passing', checks: [], ...i}) as ServiceInstance);
  const reg = {url: 'memory://test', discover: async (n: string) => (n === name ? all : []), services: async () => [{name}]};
  return async () => reg as unknown as Registry;
}

describe('registry metadata path: used when an instance is called by name', () => {
  let httpServer: Server;
  let httpPort: number;
  const seen: string[] = [];
  let showcase: Awaited<ReturnType<typeof listenOnePort>>;
  before(async () => {
    httpServer = createServer((req, res) => {
      seen.push(req.url ?? '');
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/rpc/v2') {
          const r = JSON.parse(body) as {id: number};
          return void res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({jsonrpc: '2.0', id: r.id, result: 'json-rpc at /rpc/v2'}));
        }
        res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({path: req.url}));
      });
    });
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    httpPort = (httpServer.address() as AddressInfo).port;
    showcase = await listenOnePort(connectNodeAdapter({
      requestPathPrefix: '/api',
      routes: (router) => {
        addShowcase(router, {instance: 'prefixed'});
        addConnectReflection(router, [file_showcase_v1_showcase]);
      },
    }), {host: '127.0.0.1', port: 0});
  });
  after(async () => {
    httpServer.closeAllConnections();
    await new Promise((r) => httpServer.close(r));
    await showcase.close();
  });

  it('resolveTarget carries it', async () => {
    const t = await resolveTarget('svc', registryOf('svc', [{meta: {path: 'base'}}]));
    assert.equal(t.path, '/base');
  });

  it('REST: the base of every request path; JSON-RPC: the endpoint', async () => {
    const restReg = registryOf('api', [{port: httpPort, meta: {protocol: 'rest', path: '/v1'}}]);
    const r = await call({target: 'api', method: 'GET', messages: [], registry: restReg, http: {path: '/items/7'}});
    assert.deepEqual(r.messages, [{path: '/v1/items/7'}]);
    const rpcReg = registryOf('calc', [{port: httpPort, meta: {protocol: 'json-rpc', path: '/rpc/v2'}}]);
    const j = await call({target: 'calc', method: 'add', messages: [[1, 2]], registry: rpcReg, http: {hasData: true}});
    assert.deepEqual(j.messages, ['json-rpc at /rpc/v2']);
  });

  it('gRPC family: a base path before /pkg.Service/Method, by name and with --lb', async () => {
    const reg = registryOf('showcase', [{port: showcase.port, meta: {protocol: 'grpc', protocols: 'grpc,connect', path: '/api'}}]);
    const o = await call({target: 'showcase', method: 'showcase.v1.Showcase/Echo', messages: [{text: 'by name'}], registry: reg, protocol: 'connect'});
    assert.equal(o.status.code, 0);
    assert.equal((o.messages[0] as {text: string}).text, 'by name');
    const lb = await balancedCall({target: 'showcase', method: 'showcase.v1.Showcase/Echo', messages: [{text: 'lb'}], requests: 4, strategy: 'round-robin', registry: reg});
    assert.equal(lb.exitCode, undefined, JSON.stringify(lb.statuses));
    assert.equal(lb.statuses.find((s) => s.code === 0)?.count, 4);
  });
});
