import {isIPv4, SocketAddress} from 'node:net';

const ZONE = /%[0-9A-Za-z.:-]+$/;

/**
 * 4 or 6 for an IP address, 0 otherwise: what node's net.isIP answers, at a
 * fraction of its first-call cost. isIP tries its IPv6 regular expression on
 * every string that is not IPv4, and compiling that expression takes ~4 ms of
 * a process that issues certificates in ~100; here IPv6 goes to libuv's
 * inet_pton (through SocketAddress) instead, and only strings with a colon do.
 */
export function ipVersion(s: string): 0 | 4 | 6 {
  if (!s.includes(':')) return isIPv4(s) ? 4 : 0;
  const zone = s.indexOf('%');
  if (zone >= 0 && !ZONE.test(s.slice(zone))) return 0;
  try {
    new SocketAddress({address: s, family: 'ipv6'});
    return 6;
  } catch {
    return 0;
  }
}
