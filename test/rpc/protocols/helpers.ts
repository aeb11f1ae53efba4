import {createServer, type RequestListener, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {callHttpProtocol, type HttpProtocolCall} from '../../../src/rpc/protocols/index.js';
import type {HttpProtocolName} from '../../../src/rpc/protocols/types.js';
import type {Registry} from '../../../src/registry/index.js';

/** An HTTP server on 127.0.0.1:0 for the suite; returns its HOST:PORT. */
export async function listen(handler: RequestListener | Server): Promise<{server: Server; hostPort: string; close(): Promise<void>}> {
  const server = typeof handler === 'function' ? createServer(handler) : handler;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    hostPort: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const noRegistry = (): Promise<Registry> => Promise.reject(new Error('no registry in this test'));

/** Calls HOST:PORT in `protocol` through the same dispatch `dial call` uses. */
export function callAt(protocol: HttpProtocolName, hostPort: string, method: string, rest: Partial<HttpProtocolCall> & {data?: unknown[]} = {}) {
  const {data, ...more} = rest;
  return callHttpProtocol(protocol, {
    target: hostPort, method, messages: data ?? [], registry: noRegistry, ...more,
    http: {hasData: data !== undefined, ...more.http},
  });
}
