import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {AddressInfo} from 'node:net';
import jayson from 'jayson';
import xmlrpc from 'xmlrpc';
import {callAt, listen} from './helpers.js';

describe('JSON-RPC 2.0 against a jayson server', () => {
  let srv: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    const server = new jayson.Server({
      add: (args: number[] | {a: number; b: number}, done: (e: unknown, r?: unknown) => void) => done(null, Array.isArray(args) ? args[0] + args[1] : args.a + args.b),
      fail: (_args: unknown, done: (e: unknown) => void) => done({code: 4001, message: 'application error', data: {why: 'because'}}),
    });
    srv = await listen(server.http());
  });
  after(() => srv.close());

  it('params by position and by name', async () => {
    assert.deepEqual((await callAt('json-rpc', srv.hostPort, 'add', {data: [[2, 3]]})).messages, [5]);
    assert.deepEqual((await callAt('json-rpc', srv.hostPort, 'add', {data: [{a: 2, b: 40}]})).messages, [42]);
  });

  it('a batch of three', async () => {
    const o = await callAt('json-rpc', srv.hostPort, 'add', {data: [[1, 1], [2, 2], {a: 3, b: 3}]});
    assert.deepEqual(o.messages, [2, 4, 6]);
    assert.equal(o.status.code, 0);
  });

  it('error objects: application code -> UNKNOWN with data, unknown method -> UNIMPLEMENTED', async () => {
    const o = await callAt('json-rpc', srv.hostPort, 'fail', {data: [[]]});
    assert.deepEqual([o.status.name, o.status.details], ['UNKNOWN', [{code: 4001, message: 'application error', data: {why: 'because'}}]]);
    assert.equal((await callAt('json-rpc', srv.hostPort, 'nope')).status.name, 'UNIMPLEMENTED');
  });

  it('scalar params are a usage error', async () => {
    await assert.rejects(callAt('json-rpc', srv.hostPort, 'add', {data: [5]}), /must be an array \(by position\) or an object \(by name\)/);
  });
});

describe('XML-RPC against the xmlrpc package server', () => {
  let server: xmlrpc.Server;
  let hostPort: string;
  before(async () => {
    server = await new Promise<xmlrpc.Server>((resolve) => {
      const s = xmlrpc.createServer({host: '127.0.0.1', port: 0}, () => resolve(s));
    });
    hostPort = `127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
    server.on('echo', (_err: unknown, params: unknown[], cb: (e: unknown, v?: unknown) => void) => cb(null, params));
    server.on('types', (_err: unknown, params: unknown[], cb: (e: unknown, v?: unknown) => void) => {
      const [when, bytes] = params as [Date, Buffer];
      cb(null, {isDate: when instanceof Date, year: when.getFullYear(), isBuffer: Buffer.isBuffer(bytes), text: bytes.toString()});
    });
    server.on('boom', (_err: unknown, _params: unknown[], cb: (e: unknown, v?: unknown) => void) => cb({faultCode: 17, faultString: 'boom'}));
  });
  after(() => new Promise<void>((resolve) => {
    server.httpServer.closeAllConnections();
    server.httpServer.close(() => resolve());
  }));

  it('a JSON array is the param list; every param comes back', async () => {
    const o = await callAt('xml-rpc', hostPort, 'echo', {data: [['a', 1, 2.5, true, {k: ['v']}]]});
    assert.deepEqual(o.messages, [['a', 1, 2.5, true, {k: ['v']}]]);
  });

  it('dateTime.iso8601 and base64 reach the server as Date and Buffer', async () => {
    const o = await callAt('xml-rpc', hostPort, 'types', {data: [[{'$dateTime.iso8601': '20240229T12:30:00'}, {'$base64': Buffer.from('bytes!').toString('base64')}]]});
    assert.deepEqual(o.messages, [{isDate: true, year: 2024, isBuffer: true, text: 'bytes!'}]);
  });

  it('a fault is an outcome with its code and string', async () => {
    const o = await callAt('xml-rpc', hostPort, 'boom');
    assert.deepEqual([o.status.name, o.status.message], ['UNKNOWN', 'XML-RPC fault 17: boom']);
  });

  it('an unknown method (this server answers HTTP 404) is NOT_FOUND', async () => {
    const o = await callAt('xml-rpc', hostPort, 'missing');
    assert.deepEqual([o.http.status, o.status.name], [404, 'NOT_FOUND']);
  });
});

describe('XML-RPC: a server that sends a broken methodResponse', () => {
  const bodies = new Map([
    ['truncated', '<?xml version="1.0"?><methodResponse><params><param><value><string>hi</string></value></param></params>'],
    ['empty', '<?xml version="1.0"?><methodResponse></methodResponse>'],
  ]);
  let srv: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    srv = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.writeHead(200, {'content-type': 'text/xml'}).end(bodies.get(/<methodName>(\w+)</.exec(body)?.[1] ?? '')));
    });
  });
  after(() => srv.close());

  it('is a BAD_XMLRPC error that says what is wrong, not an empty answer', async () => {
    await assert.rejects(callAt('xml-rpc', srv.hostPort, 'truncated'), (e: Error & {code?: string}) => e.code === 'BAD_XMLRPC' && /Unclosed tag 'methodResponse'/.test(e.message));
    await assert.rejects(callAt('xml-rpc', srv.hostPort, 'empty'), (e: Error & {code?: string}) => e.code === 'BAD_XMLRPC' && /neither <params> nor <fault>/.test(e.message));
  });
});
