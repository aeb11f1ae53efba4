import {randomBytes} from 'node:crypto';
import {authorityKeyId, basicConstraints, extendedKeyUsage, KeyUsage, keyIdentifier, keyUsage, subjectAltName, subjectKeyId} from './cert-builder.js';
import type {SanEntry} from './names.js';

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
export function caExtensions(spki: Buffer, pathLen: number | undefined, authorityKey?: string): Buffer[] {
  return [
    basicConstraints(true, pathLen),
    keyUsage([KeyUsage.digitalSignature, KeyUsage.keyCertSign, KeyUsage.cRLSign]),
    subjectKeyId(keyIdentifier(spki)),
    ...(authorityKey ? [authorityKeyId(authorityKey)] : []),
  ];
}

/**
 * Extensions of a leaf: basicConstraints CA:FALSE and keyUsage (both
 * critical; keyEncipherment only for RSA server keys, as RFC 5280 and the CA/B
 * baseline want), extendedKeyUsage serverAuth and/or clientAuth, SANs, SKI, AKI.
 */
export function leafExtensions(opts: {profile: Profile; keyAlgorithm: string; sans: SanEntry[]; spki: Buffer; authorityKeyId: string}): Buffer[] {
  const ku: number[] = [KeyUsage.digitalSignature];
  if (opts.keyAlgorithm.startsWith('RSA') && opts.profile !== 'client') ku.push(KeyUsage.keyEncipherment);
  const eku = ({server: ['serverAuth'], client: ['clientAuth'], both: ['serverAuth', 'clientAuth']} as const)[opts.profile];
  return [
    basicConstraints(false),
    keyUsage(ku),
    extendedKeyUsage([...eku]),
    ...(opts.sans.length ? [subjectAltName(opts.sans)] : []),
    subjectKeyId(keyIdentifier(opts.spki)),
    authorityKeyId(opts.authorityKeyId),
  ];
}

