/**
 * Demo instance: the greeter over JSON-RPC 2.0 (jayson) on HTTP POST /.
 * Registers as service "greeter", protocol json-rpc, codec json.
 *
 *   SayHello {"name": ...} or ["ada"]  -> {"message": "Hello, ada!", "instance": ...}
 *   Echo <any params>                  -> the params as received
 *
 * Batches and notifications are jayson's; an injected fault answers HTTP 503
 * with a JSON-RPC error object.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import jayson from 'jayson';
import {readBody, serveHttpInstance} from '../http-kit/index.js';
import {applyFaults, identity} from '../instance-runtime.js';
import {greeting} from './greeting.js';

const me = identity();

const rpc = new jayson.Server({
  SayHello(args: unknown, done: (err: unknown, result?: unknown) => void) {
    const name = Array.isArray(args) ? args[0] : (args as {name?: unknown} | undefined)?.name;
    if (name !== undefined && typeof name !== 'string') return done(rpc.error(-32602, 'name must be a string', {got: name as never}));
    done(null, {message: greeting(name), instance: me.id});
  },
  Echo(args: unknown, done: (err: unknown, result?: unknown) => void) {
    done(null, args ?? null);
  },
});

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) return void res.writeHead(204).end();
  res.writeHead(status, {'content-type': 'application/json', 'x-instance': me.id}).end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return send(res, 405, {jsonrpc: '2.0', id: null, error: {code: -32600, message: 'JSON-RPC requests are POSTed'}});
  const body = await readBody(req, res);
  if (!body) return;
  if ((await applyFaults()) === 'error') return send(res, 503, {jsonrpc: '2.0', id: null, error: {code: -32000, message: `injected fault on ${me.id}`}});
  let request: unknown;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch {
    return send(res, 200, {jsonrpc: '2.0', id: null, error: {code: -32700, message: 'Parse error'}});
  }
  rpc.call(request as never, (err, response) => send(res, 200, err ?? response));
}

serveHttpInstance(me, handle, {protocol: 'json-rpc', codec: 'json', meta: {methods: 'SayHello Echo'}});
