/**
 * Demo instance: the greeter over SOAP (node-soap), SOAP 1.1 at /greeter and
 * SOAP 1.2 at /greeter12, WSDL at /greeter?wsdl. Registers as service
 * "greeter", protocol soap, codec xml, metadata wsdl=/greeter?wsdl.
 *
 *   SayHello {"name": ...} -> {"message": "Hello, ada!", "instance": ...}
 *
 * An empty name is a Client (1.2: Sender) fault; an injected fault is a
 * Server fault with HTTP 503.
 */
import {listen} from 'soap';
import {serveHttpInstance} from '../http-kit/index.js';
import {applyFaults, identity} from '../instance-runtime.js';
import {greeterWsdl} from './greeter-wsdl.js';
import {greeting} from './greeting.js';

const me = identity();

function fault(v12: boolean, kind: 'Client' | 'Server', reason: string, statusCode: number) {
  const Fault = v12
    ? {Code: {Value: kind === 'Client' ? 'soap:Sender' : 'soap:Receiver'}, Reason: {Text: reason}, statusCode}
    : {faultcode: `soap:${kind}`, faultstring: reason, statusCode};
  return {Fault};
}

function service(v12: boolean) {
  const port = {
    async SayHello(args: {name?: string}) {
      if ((await applyFaults()) === 'error') throw fault(v12, 'Server', `injected fault on ${me.id}`, 503);
      if (args?.name === '') throw fault(v12, 'Client', 'name must not be empty', 500);
      return {message: greeting(args?.name), instance: me.id};
    },
  };
  return {GreeterService: {GreeterSoap: port, GreeterSoap12: port}};
}

serveHttpInstance(me, (req, res) => void res.writeHead(404, {'content-type': 'text/plain'}).end(`no SOAP endpoint at ${req.url}; the WSDL is at /greeter?wsdl\n`), {
  protocol: 'soap',
  codec: 'xml',
  meta: {wsdl: '/greeter?wsdl'},
  onListening(server, origin) {
    const xml = greeterWsdl(origin);
    listen(server, {path: '/greeter', services: service(false), xml});
    listen(server, {path: '/greeter12', services: service(true), xml, forceSoap12Headers: true});
  },
});
