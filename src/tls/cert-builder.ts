import {createHash, sign, type KeyObject} from 'node:crypto';
import {bits, bool, children, explicit, ia5, implicit, int, octets, oid, oidText, printable, read, seq, set, time, utf8} from './der.js';
import type {SanEntry} from './names.js';

/**
 * X.509 v3 certificates (RFC 5280) built from DER pieces and signed with
 * node:crypto: what `tls ca create`, `tls ca intermediate`, `tls issue` and
 * `tls init` make. One builder for all of them; @peculiar/x509 is loaded only
 * where arbitrary ASN.1 must be parsed (CSRs, CRLs, inspect).
 */
export interface CertificateSpec {
  /** Hex, positive (profiles.ts randomSerial). */
  serial: string;
  /** DER Names. */
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  /** The subject's public key, SubjectPublicKeyInfo DER. */
  spki: Buffer;
  /** DER Extension elements (extension()). */
  extensions: Buffer[];
  /** The issuer's private key. */
  signer: KeyObject;
}

/** The signature algorithm for a signing key: AlgorithmIdentifier DER and node's hash name. */
function signatureAlgorithm(key: KeyObject): {alg: Buffer; hash: string | null} {
  switch (key.asymmetricKeyType) {
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'secp384r1'
        ? {alg: seq(oid('1.2.840.10045.4.3.3')), hash: 'sha384'}
        : {alg: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256'};
    case 'ed25519':
      return {alg: seq(oid('1.3.101.112')), hash: null};
    case 'rsa':
      return {alg: seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0])), hash: 'sha256'};
    default:
      throw new Error(`cannot sign with a ${key.asymmetricKeyType} key`);
  }
}

/** The certificate, DER. */
export function buildCertificate(c: CertificateSpec): Buffer {
  const {alg, hash} = signatureAlgorithm(c.signer);
  const tbs = seq(
    explicit(0, int(2)), int(Buffer.from(c.serial, 'hex')), alg, c.issuer, seq(time(c.notBefore), time(c.notAfter)), c.subject, c.spki,
    ...(c.extensions.length ? [explicit(3, seq(...c.extensions))] : []),
  );
  return seq(tbs, alg, bits(sign(hash, tbs, c.signer)));
}

/** The certificate as PEM (64-column lines), as the files dial writes hold it. */
export function certificatePem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}(?=.)/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}

const ATTRIBUTE_OIDS: Record<string, [string, (v: string) => Buffer]> = {
  CN: ['2.5.4.3', utf8], O: ['2.5.4.10', utf8], OU: ['2.5.4.11', utf8], C: ['2.5.4.6', printable], ST: ['2.5.4.8', utf8], L: ['2.5.4.7', utf8],
  STREET: ['2.5.4.9', utf8], DC: ['0.9.2342.19200300.100.1.25', ia5], SERIALNUMBER: ['2.5.4.5', printable], E: ['1.2.840.113549.1.9.1', ia5],
  EMAILADDRESS: ['1.2.840.113549.1.9.1', ia5], T: ['2.5.4.12', utf8], TITLE: ['2.5.4.12', utf8], GN: ['2.5.4.42', utf8], SN: ['2.5.4.4', utf8],
  UID: ['0.9.2342.19200300.100.1.1', utf8],
};

/** A Name from an RFC 4514 string of the attributes names.ts allows ('C=US, O=Acme, CN=x'; `\,` escapes), in the order written. */
export function nameDer(dn: string): Buffer {
  const rdns = dn.split(/(?<!\\),/).map((p) => p.trim()).filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim().replace(/\\([0-9a-fA-F]{2})|\\(.)/g, (_, hex: string | undefined, ch: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : ch!));
    const attr = ATTRIBUTE_OIDS[key];
    if (!attr) throw new Error(`unknown attribute ${key} in ${dn}`);
    return set(seq(oid(attr[0]), attr[1](value)));
  });
  return seq(...rdns);
}

/** The subjectKeyIdentifier of a public key: SHA-1 of its subjectPublicKey bits (RFC 5280 4.2.1.2, method 1), hex. */
export function keyIdentifier(spki: Buffer): string {
  const key = children(read(spki))[1];
  return createHash('sha1').update(key.contents.subarray(1)).digest('hex');
}

/** One Extension element. */
export function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

export const KeyUsage = {digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6} as const;

export function basicConstraints(ca: boolean, pathLen?: number): Buffer {
  return extension('2.5.29.19', true, seq(...(ca ? [bool(true)] : []), ...(ca && pathLen !== undefined ? [int(pathLen)] : [])));
}

export function keyUsage(usages: number[]): Buffer {
  let byte = 0;
  for (const u of usages) byte |= 0x80 >> u;
  const unused = 7 - Math.max(...usages);
  return extension('2.5.29.15', true, Buffer.concat([Buffer.from([0x03, 0x02, unused, byte])]));
}

export function extendedKeyUsage(purposes: ('serverAuth' | 'clientAuth')[]): Buffer {
  return extension('2.5.29.37', false, seq(...purposes.map((p) => oid(p === 'serverAuth' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2'))));
}

function ipBytes(ip: string): Buffer {
  if (ip.includes(':')) {
    const [head, tail = ''] = ip.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const last = (t.length ? t : h).at(-1) ?? '';
    if (last.includes('.')) {
      // An IPv4 address in the last 32 bits (::ffff:192.0.2.1).
      const v4 = ipBytes(last).toString('hex');
      (t.length ? t : h).splice(-1, 1, v4.slice(0, 4), v4.slice(4));
    }
    const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
    return Buffer.from(groups.map((g) => g.padStart(4, '0')).join(''), 'hex');
  }
  return Buffer.from(ip.split('.').map(Number));
}

export function subjectAltName(sans: SanEntry[]): Buffer {
  const tag = {email: 1, dns: 2, uri: 6, ip: 7} as const;
  return extension('2.5.29.17', false, seq(...sans.map((s) => implicit(tag[s.type], s.type === 'ip' ? ipBytes(s.value) : Buffer.from(s.value, 'latin1')))));
}

export const subjectKeyId = (keyIdHex: string): Buffer => extension('2.5.29.14', false, octets(Buffer.from(keyIdHex, 'hex')));
export const authorityKeyId = (keyIdHex: string): Buffer => extension('2.5.29.35', false, seq(implicit(0, Buffer.from(keyIdHex, 'hex'))));

/** What loadCa needs from a CA certificate's DER: its subject Name and extensions (by OID: critical flag and value DER). */
export function certificateParts(der: Buffer): {subject: Buffer; extensions: Map<string, Buffer>} {
  const tbs = children(read(der))[0];
  const fields = children(tbs);
  const at = fields[0].tag === 0xa0 ? 1 : 0;
  const subject = fields[at + 4].raw;
  const extensions = new Map<string, Buffer>();
  const exts = fields.find((f) => f.tag === 0xa3);
  if (exts) {
    for (const ext of children(children(exts)[0])) {
      const parts = children(ext);
      extensions.set(oidText(parts[0]), parts[parts.length - 1].contents);
    }
  }
  return {subject, extensions};
}
