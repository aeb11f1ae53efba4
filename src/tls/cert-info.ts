import type {X509Certificate} from 'node:crypto';
import {describeKey, type KeyDescription} from './key-types.js';
import type {X509Lib} from './x509.js';

/** Everything `dial tls inspect` shows about one certificate. */
export interface CertInfo {
  subject: string;
  issuer: string;
  serial: string;
  sans: string[];
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  status: 'valid' | 'expired' | 'not yet valid';
  key: KeyDescription;
  signatureAlgorithm: string;
  isCa: boolean;
  /** basicConstraints pathLenConstraint of a CA; null = no limit. */
  pathLen?: number | null;
  selfSigned: boolean;
  keyUsage: string[];
  extendedKeyUsage: string[];
  subjectKeyId?: string;
  authorityKeyId?: string;
  fingerprints: {sha256: string; sha1: string};
}

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth', '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection', '1.3.6.1.5.5.7.3.8': 'timeStamping', '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

const DAY = 86_400_000;

/** One-line DN as openssl and RFC 4514 readers expect ("CN=x, O=y"). */
export function dn(text: string): string {
  return text.split('\n').filter(Boolean).join(', ');
}

function sigName(alg: {name?: string; hash?: {name?: string} | string}): string {
  const hash = typeof alg.hash === 'string' ? alg.hash : alg.hash?.name;
  const name = alg.name === 'RSASSA-PKCS1-v1_5' ? 'RSA' : alg.name ?? 'unknown';
  return hash ? `${name} with ${hash}` : name;
}

export function describeCertificate(x: X509Lib, cert: X509Certificate, now = new Date()): CertInfo {
  const p = new x.X509Certificate(cert.raw);
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  const status = now < notBefore ? 'not yet valid' : now > notAfter ? 'expired' : 'valid';
  const sanExt = p.getExtension(x.SubjectAlternativeNameExtension);
  const sans = (sanExt?.names.items ?? []).map((n) => `${{dns: 'DNS', ip: 'IP', url: 'URI', email: 'email', dn: 'DirName', guid: 'GUID', upn: 'UPN', id: 'RID'}[n.type] ?? n.type}:${n.value}`);
  const ku = p.getExtension(x.KeyUsagesExtension);
  const keyUsage = ku ? Object.entries(x.KeyUsageFlags).filter(([k, v]) => typeof v === 'number' && Number.isNaN(Number(k)) && ku.usages & v).map(([k]) => k) : [];
  const eku = p.getExtension(x.ExtendedKeyUsageExtension);
  const bc = p.getExtension(x.BasicConstraintsExtension);
  const ski = p.getExtension(x.SubjectKeyIdentifierExtension);
  const aki = p.getExtension(x.AuthorityKeyIdentifierExtension);
  const selfSigned = issuedBy(cert, cert);
  return {
    subject: dn(cert.subject),
    issuer: dn(cert.issuer),
    serial: cert.serialNumber.toLowerCase(),
    sans,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY),
    status,
    key: describeKey(cert.publicKey),
    signatureAlgorithm: sigName(p.signatureAlgorithm as {name?: string; hash?: {name?: string}}),
    isCa: cert.ca,
    ...(cert.ca ? {pathLen: bc?.pathLength ?? null} : {}),
    selfSigned,
    keyUsage,
    extendedKeyUsage: Array.from(eku?.usages ?? [], (u) => EKU_NAMES[String(u)] ?? String(u)),
    ...(ski ? {subjectKeyId: colonHex(ski.keyId)} : {}),
    ...(aki?.keyId ? {authorityKeyId: colonHex(aki.keyId)} : {}),
    fingerprints: {sha256: cert.fingerprint256, sha1: cert.fingerprint},
  };
}

function colonHex(hex: string): string {
  return hex.toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

/** Checks that each certificate was issued (and signed) by the next one: leaf first, root last. */
export function chainOrder(certs: X509Certificate[]): {inOrder: boolean; problems: string[]} {
  const problems: string[] = [];
  for (let i = 0; i + 1 < certs.length; i++) {
    const [a, b] = [certs[i], certs[i + 1]];
    if (!issuedBy(a, b)) problems.push(`certificate ${i + 1} (${dn(a.subject)}) is not issued by certificate ${i + 2} (${dn(b.subject)}); its issuer is ${dn(a.issuer)}`);
  }
  return {inOrder: problems.length === 0, problems};
}

/** True when `issuer` issued `cert`: names (and key identifiers) match and the signature verifies. */
export function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}
