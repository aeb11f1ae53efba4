import {createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {log, registerSelf, runInstance, serverTlsOptions, type InstanceIdentity, type SelfRegistration} from '../instance-runtime.js';

export type HttpRegistration = Omit<SelfRegistration, 'port' | 'check' | 'name'> & {
  name?: string;
  /** Runs once the port is known, before registration (e.g. to mount a SOAP service whose WSDL names the address). */
  onListening?: (server: Server, origin: string) => Promise<void> | void;
};

/** Reads a request body, at most `limit` bytes (more answers 413 and resolves undefined). */
export async function readBody(req: IncomingMessage, res: ServerResponse, limit = 1 << 20): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) {
      res.writeHead(413, {'content-type': 'application/json'}).end(JSON.stringify({error: `body larger than ${limit} bytes`}));
      return undefined;
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** GET /health for the registry's HTTP check; true when it answered. */
export function answerHealth(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' || req.url !== '/health') return false;
  res.writeHead(200, {'content-type': 'application/json'}).end('{"status":"passing"}');
  return true;
}

/**
 * Serves an HTTP demo instance: HTTP (HTTPS with client certificates when the
 * cluster runs with TLS) on the instance port, an HTTP health check on
 * /health, registration as service "greeter" (unless named otherwise) with
 * its protocol and codec, and the daemon wiring of runInstance.
 */
export function serveHttpInstance(me: InstanceIdentity, handler: RequestListener, reg: HttpRegistration): Server {
  const listener: RequestListener = (req, res) => {
    if (answerHealth(req, res)) return;
    Promise.resolve(handler(req, res)).catch((e: Error) => {
      log(`request failed: ${e.stack ?? e.message}`);
      if (!res.headersSent) res.writeHead(500, {'content-type': 'application/json'});
      res.end(JSON.stringify({error: e.message}));
    });
  };
  const tls = serverTlsOptions(me);
  const server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  server.keepAliveTimeout = 5_000;
  server.listen(Number(process.env.DIAL_INSTANCE_PORT ?? 0), me.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const origin = `${me.tls ? 'https' : 'http'}://${me.host.includes(':') ? `[${me.host}]` : me.host}:${port}`;
    const {onListening, ...registration} = reg;
    Promise.resolve(onListening?.(server, origin))
      .then(() => registerSelf(me, {name: 'greeter', ...registration, port, check: {http: `${origin}/health`, interval: '1s', timeout: '1s'}}))
      .then(() => runInstance(me, port, () => new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })))
      .catch((e: Error) => {
        log(`start-up failed: ${e.message}`);
        process.exit(1);
      });
  });
  server.on('error', (e) => {
    log(`listen failed: ${e.message}`);
    process.exit(1);
  });
  return server;
}
