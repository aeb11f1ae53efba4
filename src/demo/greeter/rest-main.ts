/**
 * Demo instance: the greeter as a REST API, with JSON bodies (kind
 * greeter-rest) or MessagePack bodies (kind greeter-msgpack). Registers as
 * service "greeter", protocol rest, codec json or msgpack.
 *
 *   GET  /hello/{name}         -> {"message": "Hello, {name}!", "instance": ...}
 *   GET  /hello?name={name}    -> the same
 *   POST /hello {"name": ...}  -> the same
 *   ANY  /echo                 -> what the server received: method, path, query, headers, body
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {Packr} from 'msgpackr';
import {readBody, serveHttpInstance} from '../http-kit/index.js';
import {applyFaults, identity} from '../instance-runtime.js';
import {greeting} from './greeting.js';

const me = identity();
const codec = me.kind === 'greeter-msgpack' ? 'msgpack' : 'json';
const mime = codec === 'msgpack' ? 'application/msgpack' : 'application/json';
const packr = new Packr({useRecords: false, mapsAsObjects: true});

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = codec === 'msgpack' ? packr.pack(value) : Buffer.from(JSON.stringify(value));
  res.writeHead(status, {'content-type': mime, 'x-instance': me.id}).end(body);
}

function parse(req: IncomingMessage, body: Buffer): {ok: true; value: unknown} | {ok: false; status: number; error: string} {
  if (body.length === 0) return {ok: true, value: undefined};
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
  if (type !== mime) return {ok: false, status: 415, error: `this instance reads ${mime} bodies, not '${type || 'none'}'`};
  try {
    return {ok: true, value: codec === 'msgpack' ? packr.unpack(body) : JSON.parse(body.toString('utf8'))};
  } catch (e) {
    return {ok: false, status: 400, error: `the body is not ${codec}: ${(e as Error).message}`};
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://greeter');
  if ((await applyFaults()) === 'error') return send(res, 503, {error: `injected fault on ${me.id}`});
  const body = await readBody(req, res);
  if (!body) return;
  const parsed = parse(req, body);
  if (!parsed.ok) return send(res, parsed.status, {error: parsed.error});
  if (url.pathname === '/echo') {
    return send(res, 200, {method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: parsed.value ?? null});
  }
  const m = /^\/hello(?:\/([^/]+))?\/?$/.exec(url.pathname);
  if (!m) return send(res, 404, {error: `no route ${req.method} ${url.pathname}`, routes: ['GET /hello/{name}', 'GET /hello?name=', 'POST /hello', 'ANY /echo']});
  if (req.method === 'GET' || req.method === 'HEAD') {
    return send(res, 200, {message: greeting(m[1] ? decodeURIComponent(m[1]) : (url.searchParams.get('name') ?? undefined)), instance: me.id});
  }
  if (req.method === 'POST' && !m[1]) {
    const value = parsed.value as {name?: unknown} | undefined;
    if (value !== undefined && (typeof value !== 'object' || value === null || (value.name !== undefined && typeof value.name !== 'string'))) {
      return send(res, 400, {error: 'the body is {"name": string}'});
    }
    return send(res, 200, {message: greeting(value?.name as string | undefined), instance: me.id});
  }
  res.setHeader('allow', m[1] ? 'GET, HEAD' : 'GET, HEAD, POST');
  return send(res, 405, {error: `${req.method} is not allowed on ${url.pathname}`});
}

serveHttpInstance(me, handle, {protocol: 'rest', codec, meta: {paths: '/hello/{name} /hello /echo'}});
