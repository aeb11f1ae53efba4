import {isIP, isIPv4, SocketAddress} from 'node:net';

/**
 * 4 or 6 for an IP address, 0 otherwise: what node's net.isIP answers, at a
 * fraction of its first-call cost. isIP tries its IPv6 regular expression on
 * every string that is not IPv4, and compiling that expression takes ~4 ms of
 * a process that issues certificates in ~100; here IPv6 goes to libuv's
 * inet_pton (through SocketAddress) instead, and only strings with a colon do.
 * A zone ("fe80::1%eth0") goes to isIP: libuv cuts the address before it to
 * 39 characters and does not look at the zone.
 */
export function ipVersion(s: string): 0 | 4 | 6 {
  if (!s.includes(':')) return isIPv4(s) ? 4 : 0;
  if (s.includes('%')) return isIP(s) as 0 | 4 | 6;
  try {
    new SocketAddress({address: s, family: 'ipv6'});
    return 6;
  } catch {
    return 0;
  }
}
