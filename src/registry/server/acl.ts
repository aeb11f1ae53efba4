import {createHash, timingSafeEqual} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import {HttpError} from './http-kit.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The token a request carries: X-Consul-Token, ?token= (Consul's two ways), or Authorization: Bearer. */
export function requestToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['x-consul-token'];
  if (typeof header === 'string' && header) return header;
  const query = url.searchParams.get('token');
  if (query) return query;
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

/** Throws 403 unless the request may pass: reads are open unless `reads`; writes need the token. */
export function checkToken(acl: {token: string; reads?: boolean}, req: IncomingMessage, url: URL): void {
  const read = req.method === 'GET' || req.method === 'HEAD';
  if (read && !acl.reads) return;
  const given = requestToken(req, url);
  if (given !== undefined && timingSafeEqual(digest(given), digest(acl.token))) return;
  throw new HttpError(403, given === undefined
    ? `Permission denied: this registry requires an ACL token for ${read ? 'every request' : 'writes'} (send X-Consul-Token or ?token=)`
    : 'Permission denied: ACL token not found (wrong token)');
}
