import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {runDial, tempHome} from '../helpers/cli.js';

describe('dial call: a REST redirect is reported, not followed', () => {
  const home = tempHome();
  const server = createServer((req, res) => {
    if (req.url === '/old') res.writeHead(302, {location: '/new'}).end();
    else if (req.url === '/gone') res.writeHead(303).end();
    else if (req.url === '/cached') res.writeHead(304).end();
    else if (req.method === 'POST') res.writeHead(302, {location: '/elsewhere'}).end();
    else res.writeHead(200, {'content-type': 'application/json'}).end('{"ok":true}');
  });
  let target = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a 302 exits 0 as curl does, and stderr names the status and the Location', async () => {
    const r = await runDial(['call', target, 'GET', '/old'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^note:\s+HTTP 302 Found to \/new: dial does not follow redirects; call that location to go on\n$/);
  });

  it('a 3xx without Location says so too; --json carries the status and headers, with no note', async () => {
    const r = await runDial(['call', target, 'GET', '/gone'], {home});
    assert.match(r.stderr, /HTTP 303 See Other: dial does not follow redirects\n$/);
    const j = await runDial(['call', target, 'GET', '/old', '--json'], {home});
    assert.equal(j.stderr, '');
    const out = j.json<{http: {status: number}; responseHeaders: Record<string, string>}>();
    assert.deepEqual([out.http.status, out.responseHeaders.location], [302, '/new']);
  });

  it('no note for 304 Not Modified, nor for a 3xx answering JSON-RPC or XML-RPC (their error says it)', async () => {
    const r = await runDial(['call', target, 'GET', '/cached'], {home});
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
    const x = await runDial(['call', target, 'M', '--protocol', 'xml-rpc'], {home});
    assert.notEqual(x.code, 0);
    assert.doesNotMatch(x.stderr, /does not follow redirects/);
    assert.match(x.stderr, /HTTP 302 Found/);
  });

  it('a 200 prints its body and no note', async () => {
    const r = await runDial(['call', target, 'GET', '/x'], {home});
    assert.deepEqual([r.code, r.stderr], [0, '']);
    assert.match(r.stdout, /"ok": true/);
  });
});
