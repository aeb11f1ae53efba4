import type {IncomingMessage, ServerResponse} from 'node:http';

/** An HTTP error the daemon answers with (status + plain-text message, like Consul). */
export class HttpError extends Error {
  /** Answer with `Connection: close` (the request body was not read to its end). */
  readonly closeConnection: boolean;

  constructor(readonly status: number, message: string, opts: {closeConnection?: boolean} = {}) {
    super(message);
    this.closeConnection = opts.closeConnection ?? false;
  }
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The raw body (already size-limited). */
  body: Buffer;
}

export type Handler = (ctx: RequestContext) => Promise<unknown> | unknown;

interface Route {
  method: string;
  re: RegExp;
  keys: string[];
  handler: Handler;
}

/**
 * A tiny router: `/v1/kv/*key` captures the rest of the path, `:name` one
 * segment. Handlers return a value to send as JSON, or write the response
 * themselves and return undefined.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    const keys: string[] = [];
    const re = new RegExp(
      '^' +
        pattern.replace(/\*(\w+)|:(\w+)/g, (_m, rest: string | undefined, one: string | undefined) => {
          keys.push((rest ?? one)!);
          return rest ? '(.*)' : '([^/]+)';
        }) +
        '$',
    );
    this.routes.push({method, re, keys, handler});
    return this;
  }

  /**
   * The route for a request. Never throws: a parameter with a malformed
   * %-escape stays raw and is named in `badEscape` (the server answers 400).
   */
  match(method: string, path: string): {handler: Handler; params: Record<string, string>; badEscape?: string} | 'method' | undefined {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method && !(r.method === 'PUT' && method === 'POST')) continue;
      const params: Record<string, string> = {};
      let badEscape: string | undefined;
      r.keys.forEach((k, i) => {
        try {
          params[k] = decodeURIComponent(m[i + 1]);
        } catch {
          params[k] = m[i + 1];
          badEscape ??= m[i + 1];
        }
      });
      return badEscape === undefined ? {handler: r.handler, params} : {handler: r.handler, params, badEscape};
    }
    return pathMatched ? 'method' : undefined;
  }
}

/** The request's URL; a request target that is not a URL (e.g. `http://[::1`) is a 400. */
export function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    throw new HttpError(400, `Invalid request target '${String(req.url).slice(0, 200)}'`);
  }
}

/** How much of an oversized chunked body is read and dropped, at most, before the 413 goes out. */
const DRAIN_FACTOR = 32;
const DRAIN_MS = 5_000;

/**
 * Reads the body up to `limit` bytes; a larger body gets 413 with
 * `Connection: close` (HttpError.closeConnection). A declared Content-Length
 * over the limit fails at once. A chunked body that passes the limit is read
 * on and dropped until it ends (at most DRAIN_FACTOR x limit bytes or
 * DRAIN_MS), then the 413 goes out: a client that is still sending would
 * otherwise hit a closed socket (EPIPE, reset) before it reads the answer.
 * Past those bounds the 413 goes out at once and the connection closes.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new HttpError(413, `Request body too large: ${declared} bytes (limit ${limit})`, {closeConnection: true}));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const tooLarge = () => {
      clearTimeout(timer);
      reject(new HttpError(413, `Request body too large (limit ${limit} bytes)`, {closeConnection: true}));
    };
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (timer === undefined) {
        chunks.length = 0;
        timer = setTimeout(tooLarge, DRAIN_MS);
      } else if (size > limit * DRAIN_FACTOR) tooLarge();
    });
    req.on('end', () => (timer === undefined ? resolve(Buffer.concat(chunks)) : tooLarge()));
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Parses a JSON body or answers 400 with Consul's wording. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw new HttpError(400, 'Request decode failed: empty body');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, `Request decode failed: ${(e as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text)});
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text)});
  res.end(text);
}
