import {randomBytes} from 'node:crypto';
import type {SanEntry} from './names.js';
import type {X509Lib} from './x509.js';

/** What a leaf certificate is for: TLS server, TLS client, or both (mutual TLS peers). */
export type Profile = 'server' | 'client' | 'both';

/** A random, positive 128-bit serial number as hex (RFC 5280 allows up to 20 octets). */
export function randomSerial(): string {
  const b = randomBytes(16);
  if (b[0] === 0) b[0] = 1;
  return b.toString('hex');
}

/**
 * Normalizes a serial as users write it ("01:AB:cd", "0x1abcd") for comparison
 * and display: lowercase hex of whole bytes with no leading zero byte, as
 * `issue` and `inspect` print it (node's serialNumber), so "4ab" and "04ab" are
 * the same serial and print the same.
 */
export function normalizeSerial(serial: string): string {
  const hex = serial.trim().toLowerCase().replace(/^0x/, '').replace(/[:\s]/g, '').replace(/^0+(?=.)/, '');
  return hex.length % 2 && /^[0-9a-f]+$/.test(hex) ? `0${hex}` : hex;
}

/**
 * Extensions of a CA certificate: basicConstraints CA:TRUE (critical) with the
 * path length constraint, keyUsage keyCertSign + cRLSign (critical), SKI, and
 * AKI when it is signed by another CA.
 */
export async function caExtensions(x: X509Lib, publicKey: Parameters<typeof x.SubjectKeyIdentifierExtension.create>[0], pathLen: number | undefined, authorityKeyId?: string) {
  return [
    new x.BasicConstraintsExtension(true, pathLen, true),
    new x.KeyUsagesExtension(x.KeyUsageFlags.keyCertSign | x.KeyUsageFlags.cRLSign | x.KeyUsageFlags.digitalSignature, true),
    await x.SubjectKeyIdentifierExtension.create(publicKey),
    ...(authorityKeyId ? [new x.AuthorityKeyIdentifierExtension(authorityKeyId)] : []),
  ];
}

/**
 * Extensions of a leaf: basicConstraints CA:FALSE and keyUsage (both
 * critical; keyEncipherment only for RSA server keys, as RFC 5280 and the CA/B
 * baseline want), extendedKeyUsage serverAuth and/or clientAuth, SANs, SKI, AKI.
 */
export async function leafExtensions(
  x: X509Lib,
  opts: {profile: Profile; keyAlgorithm: string; sans: SanEntry[]; publicKey: Parameters<typeof x.SubjectKeyIdentifierExtension.create>[0]; authorityKeyId: string},
) {
  let ku = x.KeyUsageFlags.digitalSignature;
  if (opts.keyAlgorithm.startsWith('RSA') && opts.profile !== 'client') ku |= x.KeyUsageFlags.keyEncipherment;
  const eku = {server: [x.ExtendedKeyUsage.serverAuth], client: [x.ExtendedKeyUsage.clientAuth], both: [x.ExtendedKeyUsage.serverAuth, x.ExtendedKeyUsage.clientAuth]}[opts.profile];
  return [
    new x.BasicConstraintsExtension(false, undefined, true),
    new x.KeyUsagesExtension(ku, true),
    new x.ExtendedKeyUsageExtension(eku, false),
    ...(opts.sans.length ? [new x.SubjectAlternativeNameExtension(opts.sans.map((s) => ({type: (s.type === 'uri' ? 'url' : s.type) as 'dns', value: s.value})), false)] : []),
    await x.SubjectKeyIdentifierExtension.create(opts.publicKey),
    new x.AuthorityKeyIdentifierExtension(opts.authorityKeyId),
  ];
}

