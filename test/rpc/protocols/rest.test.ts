import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {pack, unpack} from 'msgpackr';
import {isDialError} from '../../../src/errors/index.js';
import {callAt, listen} from './helpers.js';

describe('REST over undici', () => {
  let srv: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    srv = await listen(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/users/1') return res.writeHead(200, {'content-type': 'application/json'}).end('{"id":1,"name":"ada"}');
      if (url.pathname === '/echo') {
        const parsed = body.length ? (req.headers['content-type'] === 'application/msgpack' ? unpack(body) : JSON.parse(body.toString())) : null;
        const out = {method: req.method, query: Object.fromEntries(url.searchParams), trace: req.headers['x-trace'] ?? null, type: req.headers['content-type'] ?? null, body: parsed};
        if (req.headers.accept?.startsWith('application/msgpack')) return res.writeHead(201, {'content-type': 'application/msgpack'}).end(pack(out));
        return res.writeHead(201, {'content-type': 'application/json'}).end(JSON.stringify(out));
      }
      if (url.pathname === '/text') return res.writeHead(200, {'content-type': 'text/plain'}).end('plain words');
      if (url.pathname === '/busy') return res.writeHead(503, {'content-type': 'application/json'}).end('{"error":"busy"}');
      if (url.pathname === '/conflict') return res.writeHead(409).end();
      if (url.pathname === '/slow') return void setTimeout(() => res.end('late'), 2000);
      res.writeHead(404, {'content-type': 'application/json'}).end('{"error":"no such thing"}');
    });
  });
  after(() => srv.close());

  it('GET a path: the JSON body is the message, status OK', async () => {
    const o = await callAt('rest', srv.hostPort, 'get', {http: {path: '/users/1'}});
    assert.deepEqual(o.messages, [{id: 1, name: 'ada'}]);
    assert.equal(o.status.code, 0);
    assert.deepEqual([o.http.method, o.http.status, o.http.statusText], ['GET', 200, 'OK']);
    assert.equal(o.http.url, `http://${srv.hostPort}/users/1`);
    assert.equal(o.protocol, 'rest');
  });

  it('POST a JSON body with headers, and query from the path and --query merged', async () => {
    const o = await callAt('rest', srv.hostPort, 'POST', {data: [{name: 'ada'}], headers: [['x-trace', 't1']], http: {path: '/echo?a=1', query: [['b', '2'], ['a', '3']]}});
    assert.equal(o.http.status, 201);
    assert.equal(o.status.code, 0, '201 is success');
    assert.deepEqual(o.messages[0], {method: 'POST', query: {a: '3', b: '2'}, trace: 't1', type: 'application/json', body: {name: 'ada'}});
    assert.equal(o.method, 'POST /echo?a=1&b=2&a=3');
  });

  it('GET sends no body when there is no -d', async () => {
    const o = await callAt('rest', srv.hostPort, 'GET', {http: {path: '/echo'}});
    assert.deepEqual((o.messages[0] as {body: unknown; type: unknown}), {method: 'GET', query: {}, trace: null, type: null, body: null});
  });

  it('msgpack bodies both ways with --codec msgpack', async () => {
    const o = await callAt('rest', srv.hostPort, 'PUT', {data: [{n: 300, big: 2 ** 40, list: [1, 'x', null]}], http: {path: '/echo', codec: 'msgpack'}});
    assert.equal(o.codec, 'msgpack');
    assert.equal(o.responseHeaders['content-type'], 'application/msgpack');
    assert.deepEqual((o.messages[0] as {body: unknown}).body, {n: 300, big: 2 ** 40, list: [1, 'x', null]});
    assert.equal((o.messages[0] as {type: unknown}).type, 'application/msgpack');
  });

  it('a text body is a string message', async () => {
    const o = await callAt('rest', srv.hostPort, 'GET', {http: {path: '/text'}});
    assert.deepEqual(o.messages, ['plain words']);
  });

  it('HTTP status maps to gRPC status: 404 NOT_FOUND, 503 UNAVAILABLE, 409 ABORTED; the error body is kept', async () => {
    const nf = await callAt('rest', srv.hostPort, 'GET', {http: {path: '/missing'}});
    assert.deepEqual([nf.status.code, nf.status.name, nf.status.message], [5, 'NOT_FOUND', 'HTTP 404 Not Found']);
    assert.deepEqual(nf.messages, [{error: 'no such thing'}]);
    assert.deepEqual(nf.status.details, [{error: 'no such thing'}]);
    assert.equal((await callAt('rest', srv.hostPort, 'GET', {http: {path: '/busy'}})).status.name, 'UNAVAILABLE');
    const c = await callAt('rest', srv.hostPort, 'DELETE', {http: {path: '/conflict'}});
    assert.deepEqual([c.status.name, c.messages.length], ['ABORTED', 0]);
  });

  it('--max-time passing is DEADLINE_EXCEEDED, not a crash', async () => {
    const o = await callAt('rest', srv.hostPort, 'GET', {timeoutMs: 200, http: {path: '/slow'}});
    assert.equal(o.status.name, 'DEADLINE_EXCEEDED');
    assert.match(o.status.message, /200ms/);
  });

  it('bad input: not an HTTP method, a path without /, several bodies', async () => {
    await assert.rejects(callAt('rest', srv.hostPort, 'FETCH', {http: {path: '/x'}}), (e) => isDialError(e) && e.exitCode === 2);
    await assert.rejects(callAt('rest', srv.hostPort, 'GET', {http: {path: 'x'}}), (e) => isDialError(e) && /does not start with \//.test(e.message));
    await assert.rejects(callAt('rest', srv.hostPort, 'POST', {data: [1, 2], http: {path: '/echo'}}), (e) => isDialError(e) && e.code === 'BAD_REQUEST_DATA');
  });

  it('a refused connection is UNREACHABLE (exit 3) naming the address', async () => {
    await assert.rejects(callAt('rest', '127.0.0.1:1', 'GET', {http: {path: '/'}}), (e) => isDialError(e) && e.exitCode === 3 && /127\.0\.0\.1:1 \(connection refused\)/.test(e.message));
  });
});
