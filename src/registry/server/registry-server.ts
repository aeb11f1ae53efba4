import {createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import {checkToken} from './acl.js';
import {HealthChecker, type HealthCheckerOptions} from './health-checker.js';
import {HttpError, readBody, requestUrl, Router, sendJson, sendText} from './http-kit.js';
import {addKvRoutes} from './kv-routes.js';
import {addRegistryRoutes} from './routes.js';
import {Store} from './store.js';

export interface RegistryServerOptions {
  /** SQLite file (":memory:" for tests). */
  dbPath: string;
  host?: string;
  port?: number;
  /** Largest accepted request body (default 512 KiB, Consul's KV limit). */
  maxBodyBytes?: number;
  /** Server TLS (cluster up --tls): key/cert/ca, requestCert for mTLS. */
  tls?: {key: Buffer; cert: Buffer; ca?: Buffer; requestCert?: boolean};
  health?: HealthCheckerOptions;
  /** Extra daemon status served at /v1/dial/status. */
  status?: () => unknown;
  /**
   * ACL token (cluster up --token): writes (and with `reads`, every request)
   * need it in X-Consul-Token, ?token= or Authorization: Bearer; else 403.
   */
  acl?: {token: string; reads?: boolean};
  /** Called for every request after it ends (method, path, status, ms), e.g. for logs and metrics. */
  onRequest?: (method: string, path: string, status: number, ms: number) => void;
}

/**
 * The embedded registry: Consul's HTTP API (a documented subset) on a durable
 * store, with health checking. The cluster daemon runs one; tests start their
 * own on port 0.
 */
export class RegistryServer {
  readonly store: Store;
  readonly checker: HealthChecker;
  readonly router = new Router();
  private server?: Server;

  constructor(private readonly opts: RegistryServerOptions) {
    this.store = new Store(opts.dbPath);
    this.checker = new HealthChecker(this.store, opts.health);
    addRegistryRoutes(this.router, {store: this.store, checker: this.checker, status: opts.status});
    addKvRoutes(this.router, this.store);
  }

  async listen(): Promise<AddressInfo> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.opts.tls
      ? createHttpsServer({...this.opts.tls, requestCert: this.opts.tls.requestCert ?? true, rejectUnauthorized: this.opts.tls.requestCert ?? true}, handler)
      : createHttpServer(handler);
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.checker.start();
    return this.server.address() as AddressInfo;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let status = 200;
    try {
      const url = requestUrl(req);
      const route = this.router.match(req.method ?? 'GET', url.pathname);
      if (route === undefined) throw new HttpError(404, `no such endpoint: ${url.pathname}`);
      if (route === 'method') throw new HttpError(405, `method ${req.method} not allowed on ${url.pathname}`);
      if (route.badEscape !== undefined) throw new HttpError(400, `Invalid URL: malformed %-escape in '${route.badEscape.slice(0, 200)}'`);
      if (this.opts.acl) checkToken(this.opts.acl, req, url);
      const body = req.method === 'GET' || req.method === 'HEAD' ? Buffer.alloc(0) : await readBody(req, this.opts.maxBodyBytes ?? 512 * 1024);
      const value = await route.handler({req, res, url, params: route.params, body});
      if (res.headersSent || res.writableEnded) {
        status = res.statusCode;
        return;
      }
      res.setHeader('x-consul-index', String(this.store.index()));
      res.setHeader('x-consul-knownleader', 'true');
      res.setHeader('x-consul-lastcontact', '0');
      sendJson(res, 200, value === undefined ? null : value);
    } catch (e) {
      status = e instanceof HttpError ? e.status : 500;
      const msg = e instanceof HttpError ? e.message : `internal error: ${(e as Error).message}`;
      if (!res.headersSent) {
        res.setHeader('x-consul-index', String(this.store.index()));
        if (e instanceof HttpError && e.closeConnection) res.setHeader('connection', 'close');
        sendText(res, status, msg);
      } else res.destroy();
    } finally {
      this.opts.onRequest?.(req.method ?? 'GET', req.url ?? '/', status, performance.now() - started);
    }
  }

  async close(): Promise<void> {
    this.checker.stop();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
    this.store.close();
  }
}
