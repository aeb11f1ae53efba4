import {rootCertificates} from 'node:tls';
import {usageError} from '../errors/index.js';
import type {TransportOptions} from './transports.js';

/**
 * URL targets: `dial call https://host/pkg.Service/Method`, `dial call
 * http://host:port/RPC2 Method --protocol xml-rpc` ... The scheme says how to
 * connect (https: TLS with the system roots plus --cacert; http: plaintext,
 * h2c for gRPC) and the path what to call (see src/rpc/url-call.ts).
 */
export interface UrlTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** host:port to connect to ([::1]:443 for IPv6). */
  hostPort: string;
  /** The Host / :authority to send: the URL's host, without a default port (as curl and buf curl send it). */
  authority: string;
  /** Path and query as written ('' when the URL has none, or only '/'). */
  path: string;
}

/**
 * The schemes dial calls, each with what it is for. Other schemes (nats://
 * for request-reply ...) join this list where they are handled.
 */
export const URL_SCHEMES: Record<string, string> = {
  http: 'plaintext HTTP (h2c for gRPC)',
  https: 'TLS, verified with the system roots plus --cacert',
};

/** Schemes people write for gRPC in other tools, and what to write instead. */
const OTHER_TOOLS: Record<string, string> = {
  grpc: 'http', grpcs: 'https', h2c: 'http', h2: 'https', dns: 'http', ws: 'http', wss: 'https', tcp: 'http', tls: 'https',
};

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** True when the text is written as a URL (scheme://...), whatever the scheme. */
export function isUrlTarget(text: string): boolean {
  return SCHEME.test(text);
}

function schemeList(): string {
  return Object.entries(URL_SCHEMES).map(([s, what]) => `${s}:// (${what})`).join(', ');
}

/** Parses an http(s) URL target; any other scheme is a usage error that lists the supported ones. */
export function parseUrlTarget(text: string): UrlTarget {
  const scheme = SCHEME.exec(text)?.[1].toLowerCase();
  if (!scheme) throw usageError(`'${text}' is not a URL`, 'e.g. https://host/pkg.Service/Method or http://127.0.0.1:8080/RPC2');
  if (scheme !== 'http' && scheme !== 'https') {
    const instead = OTHER_TOOLS[scheme];
    throw usageError(`dial does not call ${scheme}:// URLs ('${text}')`, `${instead ? `write ${text.replace(SCHEME, `${instead}://`)}; ` : ''}supported schemes: ${schemeList()}`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`'${text}' is not a valid URL`, 'e.g. https://host/pkg.Service/Method or http://127.0.0.1:8080/RPC2');
  }
  if (url.username || url.password) {
    throw usageError(`'${text}' carries credentials in the URL`, "send them as a header instead: -H 'authorization: Basic BASE64(user:pass)'");
  }
  if (!url.hostname) throw usageError(`'${text}' names no host`, 'e.g. http://127.0.0.1:8080/');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80;
  const pathname = url.pathname === '/' ? '' : url.pathname;
  return {
    scheme,
    host,
    port,
    hostPort: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    authority: url.host,
    path: pathname || url.search ? `${pathname || '/'}${url.search}` : '',
  };
}

/**
 * The transport options for a URL target: https means TLS (the system roots
 * plus --cacert; node replaces the roots when given a CA, so both go in), http
 * means plaintext. Flags that ask for the other are a usage error naming the
 * URL to write instead.
 */
export function urlTransport(scheme: UrlTarget['scheme'], text: string, t: TransportOptions = {}): TransportOptions {
  if (scheme === 'https') {
    if (t.security === 'plaintext') {
      throw usageError(`${text} is an https:// URL (TLS), and --plaintext asks for none`, `for plaintext write ${text.replace(/^https:/i, 'http:')}; for TLS drop --plaintext`);
    }
    const tls = {...t.tls};
    if (tls.ca) tls.ca = Buffer.concat([Buffer.from(rootCertificates.join('\n') + '\n'), tls.ca]);
    return {...t, tls, security: 'tls'};
  }
  if (t.tls || t.security === 'tls') {
    throw usageError(`${text} is an http:// URL (plaintext), and TLS flags (--tls, --cacert, --cert, --servername, --insecure) ask for TLS`, `for TLS write ${text.replace(/^http:/i, 'https:')}; for plaintext drop the TLS flags`);
  }
  return {...t, tls: undefined, security: 'plaintext'};
}
