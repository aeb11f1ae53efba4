import {createHash, sign, type KeyObject} from 'node:crypto';
import {asn1} from './asn1.js';
import type {SanEntry} from './names.js';

/**
 * X.509 v3 certificates (RFC 5280) built with the ASN.1 schema of
 * @peculiar/asn1-x509 (encoded by @peculiar/asn1-schema over asn1js) and
 * signed with node:crypto: what `tls ca create`, `tls ca intermediate`,
 * `tls issue` and `tls init` make. One builder for all of them. The schema
 * libraries load in a fraction of the time of @peculiar/x509 (its class stack,
 * tsyringe and reflect-metadata), which is loaded only where arbitrary ASN.1
 * must be parsed (CSRs, CRLs, inspect).
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

const der = (value: unknown): Buffer => Buffer.from(asn1().asn1Schema.AsnConvert.serialize(value));

/**
 * The schema objects behind DER buffers: what nameDer() and extension()
 * returned, and what was parsed once (a public key is read for its key
 * identifier, then put in the certificate), so that buildCertificate takes
 * them as they are instead of parsing the DER again (parsing checks it against
 * the schema, which is most of the cost). The objects are never changed.
 */
const built = new WeakMap<Buffer, object>();
function keep<T extends object>(value: T): Buffer {
  const out = der(value);
  built.set(out, value);
  return out;
}
function parsed<T extends object>(buf: Buffer, type: new () => T): T {
  let value = built.get(buf) as T | undefined;
  if (!value) built.set(buf, (value = asn1().asn1Schema.AsnParser.parse(buf, type)));
  return value;
}

/** The signature algorithm for a signing key: its OID, whether it carries NULL parameters (RSA), and node's hash name. */
function signatureAlgorithm(key: KeyObject): {algorithm: string; nullParams: boolean; hash: string | null} {
  switch (key.asymmetricKeyType) {
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'secp384r1'
        ? {algorithm: '1.2.840.10045.4.3.3', nullParams: false, hash: 'sha384'}
        : {algorithm: '1.2.840.10045.4.3.2', nullParams: false, hash: 'sha256'};
    case 'ed25519':
      return {algorithm: '1.3.101.112', nullParams: false, hash: null};
    case 'rsa':
      return {algorithm: '1.2.840.113549.1.1.11', nullParams: true, hash: 'sha256'};
    default:
      throw new Error(`cannot sign with a ${key.asymmetricKeyType} key`);
  }
}

/** The certificate, DER. */
export function buildCertificate(c: CertificateSpec): Buffer {
  const {asn1Schema: {AsnSerializer}, asn1X509: x, asn1js} = asn1();
  const {algorithm, nullParams, hash} = signatureAlgorithm(c.signer);
  // RSA's AlgorithmIdentifier carries NULL parameters (RFC 4055 5); ECDSA's and Ed25519's none.
  const alg = () => new x.AlgorithmIdentifier({algorithm, parameters: nullParams ? null : undefined});
  // A positive INTEGER in the fewest octets: asn1js adds the 0x00 a high first bit needs.
  const serial = new Uint8Array(asn1js.Integer.fromBigInt(BigInt(`0x${c.serial}`)).valueBlock.valueHexView);
  const tbs = new x.TBSCertificate({
    version: x.Version.v3,
    serialNumber: serial.buffer.slice(serial.byteOffset, serial.byteOffset + serial.byteLength),
    signature: alg(),
    issuer: parsed(c.issuer, x.Name),
    validity: new x.Validity({notBefore: c.notBefore, notAfter: c.notAfter}),
    subject: parsed(c.subject, x.Name),
    subjectPublicKeyInfo: parsed(c.spki, x.SubjectPublicKeyInfo),
    extensions: c.extensions.length ? new x.Extensions(c.extensions.map((e) => parsed(e, x.Extension))) : undefined,
  });
  // The TBSCertificate is turned into asn1js blocks once, encoded to be signed, and the same
  // blocks go into the Certificate (asn1-schema takes a value with toASN() as it is) instead of
  // the schema being walked a second time.
  const tbsAsn = AsnSerializer.toASN(tbs);
  const tbsDer = Buffer.from(tbsAsn.toBER(false));
  const signature = sign(hash, tbsDer, c.signer);
  const signed = {toASN: () => tbsAsn, fromASN: () => tbs};
  const cert = new x.Certificate({tbsCertificate: signed as unknown as typeof tbs, signatureAlgorithm: alg(), signatureValue: new Uint8Array(signature).buffer});
  return der(cert);
}

/** The certificate as PEM (64-column lines), as the files dial writes hold it. */
export function certificatePem(certDer: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${certDer.toString('base64').replace(/.{64}(?=.)/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}

type StringType = 'utf8String' | 'printableString' | 'ia5String';
const ATTRIBUTE_OIDS: Record<string, [string, StringType]> = {
  CN: ['2.5.4.3', 'utf8String'], O: ['2.5.4.10', 'utf8String'], OU: ['2.5.4.11', 'utf8String'], C: ['2.5.4.6', 'printableString'], ST: ['2.5.4.8', 'utf8String'],
  L: ['2.5.4.7', 'utf8String'], STREET: ['2.5.4.9', 'utf8String'], DC: ['0.9.2342.19200300.100.1.25', 'ia5String'], SERIALNUMBER: ['2.5.4.5', 'printableString'],
  E: ['1.2.840.113549.1.9.1', 'ia5String'], EMAILADDRESS: ['1.2.840.113549.1.9.1', 'ia5String'], T: ['2.5.4.12', 'utf8String'], TITLE: ['2.5.4.12', 'utf8String'],
  GN: ['2.5.4.42', 'utf8String'], SN: ['2.5.4.4', 'utf8String'], UID: ['0.9.2342.19200300.100.1.1', 'utf8String'],
};

/** A Name from an RFC 4514 string of the attributes names.ts allows ('C=US, O=Acme, CN=x'; `\,` escapes), in the order written. */
export function nameDer(dn: string): Buffer {
  const x = asn1().asn1X509;
  const rdns = dn.split(/(?<!\\),/).map((p) => p.trim()).filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim().replace(/\\([0-9a-fA-F]{2})|\\(.)/g, (_, hex: string | undefined, ch: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : ch!));
    const attr = ATTRIBUTE_OIDS[key];
    if (!attr) throw new Error(`unknown attribute ${key} in ${dn}`);
    return new x.RelativeDistinguishedName([new x.AttributeTypeAndValue({type: attr[0], value: new x.AttributeValue({[attr[1]]: value})})]);
  });
  return keep(new x.Name(rdns));
}

/** The subjectKeyIdentifier of a public key: SHA-1 of its subjectPublicKey bits (RFC 5280 4.2.1.2, method 1), hex. */
export function keyIdentifier(spki: Buffer): string {
  const info = parsed(spki, asn1().asn1X509.SubjectPublicKeyInfo);
  return createHash('sha1').update(Buffer.from(info.subjectPublicKey)).digest('hex');
}

/** One Extension element, DER, around an extension value object of @peculiar/asn1-x509. */
export function extension(id: string, critical: boolean, value: unknown): Buffer {
  const {asn1Schema: s, asn1X509: x} = asn1();
  return keep(new x.Extension({extnID: id, critical, extnValue: new s.OctetString(s.AsnConvert.serialize(value))}));
}

/** keyUsage bits by position (RFC 5280 4.2.1.3): digitalSignature is bit 0. */
export const KeyUsage = {digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6} as const;

export function basicConstraints(ca: boolean, pathLen?: number): Buffer {
  const x = asn1().asn1X509;
  return extension(x.id_ce_basicConstraints, true, new x.BasicConstraints({cA: ca, pathLenConstraint: ca ? pathLen : undefined}));
}

export function keyUsage(usages: number[]): Buffer {
  const x = asn1().asn1X509;
  return extension(x.id_ce_keyUsage, true, new x.KeyUsage(usages.reduce((flags, u) => flags | (1 << u), 0)));
}

export function extendedKeyUsage(purposes: ('serverAuth' | 'clientAuth')[]): Buffer {
  const x = asn1().asn1X509;
  return extension(x.id_ce_extKeyUsage, false, new x.ExtendedKeyUsage(purposes.map((p) => (p === 'serverAuth' ? x.id_kp_serverAuth : x.id_kp_clientAuth))));
}

/** An IPv6 address with an IPv4 tail (::ffff:192.0.2.1) in plain hex groups, which asn1-x509's IpConverter reads. */
function plainIp(ip: string): string {
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (!m) return ip;
  const [a, b, c, d] = m[2].split('.').map(Number);
  return `${m[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

export function subjectAltName(sans: SanEntry[]): Buffer {
  const x = asn1().asn1X509;
  const field = {email: 'rfc822Name', dns: 'dNSName', uri: 'uniformResourceIdentifier', ip: 'iPAddress'} as const;
  return extension(x.id_ce_subjectAltName, false, new x.SubjectAlternativeName(sans.map((s) => new x.GeneralName({[field[s.type]]: s.type === 'ip' ? plainIp(s.value) : s.value}))));
}

export function subjectKeyId(keyIdHex: string): Buffer {
  const x = asn1().asn1X509;
  return extension(x.id_ce_subjectKeyIdentifier, false, new x.SubjectKeyIdentifier(Buffer.from(keyIdHex, 'hex')));
}

export function authorityKeyId(keyIdHex: string): Buffer {
  const x = asn1().asn1X509;
  return extension(x.id_ce_authorityKeyIdentifier, false, new x.AuthorityKeyIdentifier({keyIdentifier: new x.KeyIdentifier(Buffer.from(keyIdHex, 'hex'))}));
}

/** What loadCa needs from a CA certificate's DER: its subject Name, and what its keyUsage, basicConstraints and subjectKeyIdentifier say (undefined: the extension is absent). */
export function certificateParts(certDer: Buffer): {subject: Buffer; keyCertSign?: boolean; pathLen?: number; keyId?: string} {
  const {asn1Schema: {AsnParser}, asn1X509: x} = asn1();
  const tbs = AsnParser.parse(certDer, x.Certificate).tbsCertificate;
  const ext = (id: string) => tbs.extensions?.find((e) => e.extnID === id)?.extnValue.buffer;
  const ku = ext(x.id_ce_keyUsage);
  const bc = ext(x.id_ce_basicConstraints);
  const ski = ext(x.id_ce_subjectKeyIdentifier);
  return {
    subject: der(tbs.subject),
    keyCertSign: ku ? Boolean(AsnParser.parse(ku, x.KeyUsage).toNumber() & (1 << KeyUsage.keyCertSign)) : undefined,
    pathLen: bc ? AsnParser.parse(bc, x.BasicConstraints).pathLenConstraint : undefined,
    keyId: ski ? Buffer.from(AsnParser.parse(ski, x.SubjectKeyIdentifier).buffer).toString('hex') : undefined,
  };
}
