import {DialError, ExitCode, grpcStatusForRestStatus, usageError} from '../../errors/index.js';
import {decodeBody, encodeBody, mimeTypeOf} from './body.js';
import {exchange, finish, joinPath, originOf, setStatus, startOutcome} from './http-exchange.js';
import {HTTP_METHODS, isHttpMethod, type ProtocolClient, type ProtocolRequest} from './types.js';

// In types.ts, so choosing a protocol does not load the HTTP client.
export {HTTP_METHODS, isHttpMethod} from './types.js';

function buildPath(req: ProtocolRequest): string {
  const path = req.path ?? '/';
  if (!path.startsWith('/')) throw usageError(`the REST path '${path}' does not start with /`, `e.g. dial call SERVICE GET /users/1`);
  // The instance's metadata `path` is the base of every request path.
  const full = joinPath(req.target.path, path);
  if (!req.query?.length) return full;
  const [base, existing] = full.split('?', 2);
  const params = new URLSearchParams(existing);
  for (const [k, v] of req.query) params.append(k, v);
  return `${base}?${params.toString()}`;
}

/**
 * REST/HTTP over undici: METHOD PATH with an optional JSON (or msgpack) body.
 * The response body prints as JSON; the HTTP status maps to a gRPC status
 * (google.rpc.Code's HTTP mapping), so a 404 exits 69 (64 + NOT_FOUND).
 */
export const restClient: ProtocolClient = {
  name: 'rest',
  async call(req) {
    const started = performance.now();
    const method = req.method.toUpperCase();
    if (!isHttpMethod(method)) {
      throw usageError(`'${req.method}' is not an HTTP method`, `REST calls look like: dial call SERVICE GET /path (methods: ${HTTP_METHODS.join(', ')})`);
    }
    const codec = req.codec ?? 'json';
    const mime = mimeTypeOf(codec);
    const url = originOf(req) + buildPath(req);
    const outcome = startOutcome(req, 'rest', codec, `${method} ${buildPath(req)}`, method, url);
    if (req.hasData && req.messages.length !== 1) {
      throw new DialError('BAD_REQUEST_DATA', `a REST call sends one body, got ${req.messages.length} JSON values`, {hint: 'pass one JSON document with -d', exitCode: ExitCode.Usage});
    }
    const body = req.hasData ? await encodeBody(codec, req.messages[0]) : undefined;
    const res = await exchange(req, outcome, {headers: {accept: `${mime}, */*;q=0.5`, ...(body ? {'content-type': mime} : {})}, body}, started);
    if (res) {
      const value = await decodeBody(res);
      if (value !== undefined) outcome.messages.push(value);
      const code = grpcStatusForRestStatus(res.status);
      if (code !== 0) setStatus(outcome, code, `HTTP ${res.status} ${outcome.http.statusText}`.trim(), value !== undefined ? [value] : undefined);
    }
    return finish(outcome, started);
  },
};
