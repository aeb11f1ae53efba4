import {usageError} from '../../errors/index.js';
import {parseHostPort, type ResolvedTarget} from '../target.js';

/** A Thrift-over-HTTP target written as a URL (THttpClient's form): http(s)://HOST[:PORT]/PATH. */
export interface ThriftUrl {
  target: ResolvedTarget;
  path: string;
  tls: boolean;
}

/** Parses `http://host:port/path` (default ports 80 and 443, path /); undefined when TARGET is not a URL. */
export function parseThriftUrl(text: string): ThriftUrl | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw usageError(`'${text}' is not a URL`, 'e.g. http://127.0.0.1:9090/thrift');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw usageError(`a Thrift URL is http:// or https://, not ${u.protocol}//`, 'for a framed or buffered socket give HOST:PORT');
  const tls = u.protocol === 'https:';
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const hp = parseHostPort(`${host.includes(':') ? `[${host}]` : host}:${u.port || (tls ? 443 : 80)}`);
  return {target: {...hp, resolveMs: 0}, path: `${u.pathname}${u.search}`, tls};
}
