/**
 * Demo instance: the greeter over XML-RPC on HTTP POST /, using the xmlrpc
 * package's (de)serializer. Registers as service "greeter", protocol
 * xml-rpc, codec xml.
 *
 *   SayHello {"name": ...} or "ada"  -> {"message": "Hello, ada!", "instance": ...}
 *   Echo <params>                    -> the one param (or all of them as an array), every XML-RPC type
 *
 * An unknown method is fault -32601; an injected fault answers HTTP 503.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {Readable} from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import Serializer from 'xmlrpc/lib/serializer.js';
import {readBody, serveHttpInstance} from '../http-kit/index.js';
import {applyFaults, identity} from '../instance-runtime.js';
import {greeting} from './greeting.js';

const me = identity();

type Method = (params: unknown[]) => unknown;
const fault = (faultCode: number, faultString: string) => Object.assign(new Error(faultString), {faultCode, faultString});

const METHODS: Record<string, Method> = {
  SayHello(params) {
    const p = params[0];
    const name = typeof p === 'object' && p !== null ? (p as {name?: unknown}).name : p;
    if (name !== undefined && typeof name !== 'string') throw fault(-32602, 'name must be a string');
    return {message: greeting(name), instance: me.id};
  },
  Echo: (params) => (params.length === 1 ? params[0] : params),
};

function send(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, {'content-type': 'text/xml', 'x-instance': me.id}).end(xml);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return send(res, 405, Serializer.serializeFault({faultCode: -32600, faultString: 'XML-RPC calls are POSTed'}));
  const body = await readBody(req, res);
  if (!body) return;
  if ((await applyFaults()) === 'error') return send(res, 503, Serializer.serializeFault({faultCode: -32000, faultString: `injected fault on ${me.id}`}));
  new Deserializer().deserializeMethodCall(Readable.from([body]), (err: Error | null, method: string, params: unknown[]) => {
    if (err) return send(res, 200, Serializer.serializeFault({faultCode: -32700, faultString: `parse error: ${err.message}`}));
    const fn = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
    if (!fn) return send(res, 200, Serializer.serializeFault({faultCode: -32601, faultString: `method not found: ${method}`}));
    try {
      send(res, 200, Serializer.serializeMethodResponse(fn(params)));
    } catch (e) {
      const f = e as {faultCode?: number; message: string};
      send(res, 200, Serializer.serializeFault({faultCode: f.faultCode ?? -32603, faultString: f.message}));
    }
  });
}

serveHttpInstance(me, handle, {protocol: 'xml-rpc', codec: 'xml', meta: {methods: 'SayHello Echo'}});
