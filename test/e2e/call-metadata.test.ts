import assert from 'node:assert/strict';
import {mkdtempSync} from 'node:fs';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {ROOT, runDial, tempHome} from '../helpers/cli.js';

const HELLO_PROTO = join(ROOT, 'proto', 'helloworld', 'helloworld.proto');

interface Seen {
  authority?: string;
  /** Header names and values as they came on the wire, [name, value, name, value, ...]. */
  raw: string[];
}

/** The values of one header name, in the order its fields arrived. */
const valuesOf = (raw: string[], name: string) => raw.flatMap((v, i) => (i % 2 === 0 && v === name ? [raw[i + 1]] : []));

/** An HTTP/2 server that records each request's :authority and header fields and answers UNIMPLEMENTED (trailers only). */
function recordingH2(listen: (s: http2.Http2Server) => void): {server: http2.Http2Server; seen: Seen[]} {
  const seen: Seen[] = [];
  const server = http2.createServer();
  server.on('stream', (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, _flags: number, raw: string[]) => {
    seen.push({authority: headers[':authority'] as string | undefined, raw});
    stream.respond({':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'recorded'}, {endStream: true});
  });
  listen(server);
  return {server, seen};
}

describe('dial call sends :authority and repeated -H metadata as given', () => {
  const home = tempHome();
  const sock = join(mkdtempSync(join(tmpdir(), 'dial-auth-')), 'h2.sock');
  const tcp = recordingH2((s) => s.listen(0, '127.0.0.1'));
  const unix = recordingH2((s) => s.listen(sock));
  const restSeen: Seen[] = [];
  const rest = http.createServer((req, res) => {
    restSeen.push({authority: req.headers.host, raw: req.rawHeaders.map((v, i) => (i % 2 === 0 ? v.toLowerCase() : v))});
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  });
  let port = 0;
  before(async () => {
    await new Promise<void>((r) => rest.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => (tcp.server.listening ? r() : tcp.server.once('listening', r)));
    await new Promise<void>((r) => (unix.server.listening ? r() : unix.server.once('listening', r)));
    port = (tcp.server.address() as AddressInfo).port;
  });
  after(() => {
    tcp.server.close();
    unix.server.close();
    rest.close();
  });
  const callArgs = ['helloworld.Greeter/SayHello', '--proto', HELLO_PROTO, '-d', '{}'];

  it('--authority goes out as given (no :80 added), and -v shows the :authority sent', async () => {
    const r = await runDial(['call', `127.0.0.1:${port}`, ...callArgs, '--authority', 'my.host', '-v'], {home});
    assert.equal(r.code, 64 + 12, r.stderr);
    assert.equal(tcp.seen.at(-1)!.authority, 'my.host');
    assert.match(r.stderr, /Request metadata:\n {2}:authority: my\.host\n/);
    const d = await runDial(['call', `127.0.0.1:${port}`, ...callArgs], {home});
    assert.equal(d.code, 64 + 12, d.stderr);
    assert.equal(tcp.seen.at(-1)!.authority, `127.0.0.1:${port}`);
  });

  it('--unix: the :authority is localhost, or TARGET when given', async () => {
    const r = await runDial(['call', `unix:${sock}`, ...callArgs], {home});
    assert.equal(r.code, 64 + 12, r.stderr);
    assert.equal(unix.seen.at(-1)!.authority, 'localhost');
    const t = await runDial(['call', 'api.internal:8443', ...callArgs, '--unix', sock], {home});
    assert.equal(t.code, 64 + 12, t.stderr);
    assert.equal(unix.seen.at(-1)!.authority, 'api.internal:8443');
  });

  it('a repeated -H name sends every value, as separate fields (gRPC) and header lines (REST)', async () => {
    const r = await runDial(['call', `127.0.0.1:${port}`, ...callArgs, '-H', 'multi: a', '-H', 'multi: b', '-H', 'one: x', '--json'], {home});
    assert.equal(r.code, 64 + 12, r.stderr);
    assert.deepEqual(valuesOf(tcp.seen.at(-1)!.raw, 'multi'), ['a', 'b']);
    assert.deepEqual(valuesOf(tcp.seen.at(-1)!.raw, 'one'), ['x']);
    assert.equal(r.json<{requestHeaders: Record<string, string>}>().requestHeaders.multi, 'a, b');
    const h = await runDial(['call', `127.0.0.1:${(rest.address() as AddressInfo).port}`, 'GET', '/x', '-H', 'multi: a', '-H', 'multi: b'], {home});
    assert.equal(h.code, 0, h.stderr);
    assert.deepEqual(valuesOf(restSeen.at(-1)!.raw, 'multi'), ['a', 'b']);
  });
});
