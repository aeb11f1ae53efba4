import type {X509Certificate} from 'node:crypto';
import {existsSync, statSync} from 'node:fs';
import {ipVersion} from '../util/ip.js';
import {caPaths} from './ca-dir.js';
import {describeCertificate, dn, issuedBy} from './cert-info.js';
import {checkRevocation, loadCrls} from './crl-check.js';
import {readCertificates} from './pem.js';
import {loadX509, type X509Lib} from './x509.js';

export type Purpose = 'server' | 'client';

export interface VerifyOptions {
  /** The certificate to verify (a file; certificates after the first one are used as intermediates). */
  cert: string;
  /** Trust anchors: root certificate files or CA folders. */
  ca: string[];
  intermediates?: string[];
  host?: string;
  purpose?: Purpose;
  /** CRL files; with any, the leaf's issuer must have a CRL among them. */
  crls?: string[];
  /** Verify as of this time (default now). */
  at?: Date;
}

export type CheckName = 'chain' | 'signature' | 'validity' | 'ca' | 'path-length' | 'purpose' | 'host' | 'revocation';

export interface VerifyCheck {
  name: CheckName;
  ok: boolean;
  detail: string;
  /** Stable code of a failure (UNKNOWN_ISSUER, EXPIRED, HOST_MISMATCH, REVOKED, ...). */
  code?: string;
}

/** What `dial tls verify` returns; `ok` false comes with the first failure's precise `reason`. */
export interface VerifyResult {
  ok: boolean;
  certificate: string;
  reason?: string;
  code?: string;
  /** The path found, leaf first, trust anchor last. */
  chain: {subject: string; issuer: string; serial: string; notAfter: string; trusted: boolean}[];
  checks: VerifyCheck[];
}

const EKU_OID = {server: '1.3.6.1.5.5.7.3.1', client: '1.3.6.1.5.5.7.3.2'};
const ANY_EKU = '2.5.29.37.0';

function anchorFile(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) {
    const p = caPaths(path);
    return existsSync(p.root) ? p.root : p.cert;
  }
  return path;
}

function signedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

interface PathResult {
  path: X509Certificate[];
  trusted: boolean;
  failure?: VerifyCheck;
}

/** Walks from the leaf to a trust anchor by issuer name and signature. */
function buildPath(leaf: X509Certificate, anchors: X509Certificate[], pool: X509Certificate[]): PathResult {
  const path = [leaf];
  const isAnchor = (c: X509Certificate) => anchors.some((a) => a.fingerprint256 === c.fingerprint256);
  for (let depth = 0; depth < 12; depth++) {
    const cur = path[path.length - 1];
    if (isAnchor(cur)) return {path, trusted: true};
    if (issuedBy(cur, cur)) {
      const twin = anchors.some((a) => a.subject === cur.subject) ? ' (a different CA with that name is)' : '';
      return {path, trusted: false, failure: {name: 'chain', ok: false, code: 'UNTRUSTED_ROOT', detail: `the chain ends at the self-signed ${dn(cur.subject)}, which is not among the trusted roots (--ca)${twin}`}};
    }
    const named = [...anchors, ...pool].filter((c) => c.fingerprint256 !== cur.fingerprint256 && cur.checkIssued(c));
    const issuer = named.find((c) => signedBy(cur, c));
    if (!issuer) {
      if (named.length) {
        return {path, trusted: false, failure: {name: 'signature', ok: false, code: 'BAD_SIGNATURE', detail: `the signature of ${dn(cur.subject)} does not verify with the key of its issuer ${dn(named[0].subject)}: the certificate was altered, or another CA of that name issued it`}};
      }
      const sameName = [...anchors, ...pool].find((c) => c.fingerprint256 !== cur.fingerprint256 && c.subject === cur.issuer);
      if (sameName) {
        return {path, trusted: false, failure: {name: 'chain', ok: false, code: 'WRONG_ISSUER_KEY', detail: `a certificate named ${dn(sameName.subject)} was given but it is not the CA that signed ${dn(cur.subject)} (a different key with the same name)`}};
      }
      return {path, trusted: false, failure: {name: 'chain', ok: false, code: 'UNKNOWN_ISSUER', detail: `no certificate of the issuer ${dn(cur.issuer)} of ${dn(cur.subject)} was given: pass it with --intermediate, or its root with --ca`}};
    }
    if (path.some((c) => c.fingerprint256 === issuer.fingerprint256)) break;
    path.push(issuer);
  }
  const last = path[path.length - 1];
  return isAnchor(last) ? {path, trusted: true} : {path, trusted: false, failure: {name: 'chain', ok: false, code: 'CHAIN_TOO_LONG', detail: 'no trusted root within 12 certificates'}};
}

function timeCheck(path: X509Certificate[], at: Date): VerifyCheck {
  for (const c of path) {
    const from = new Date(c.validFrom);
    const to = new Date(c.validTo);
    if (at > to) return {name: 'validity', ok: false, code: 'EXPIRED', detail: `${dn(c.subject)} expired on ${to.toISOString()} (${Math.ceil((at.getTime() - to.getTime()) / 86_400_000)} day(s) ago)`};
    if (at < from) return {name: 'validity', ok: false, code: 'NOT_YET_VALID', detail: `${dn(c.subject)} is not valid before ${from.toISOString()}`};
  }
  return {name: 'validity', ok: true, detail: `every certificate is valid at ${at.toISOString()}`};
}

function caChecks(x: X509Lib, path: X509Certificate[]): VerifyCheck[] {
  const out: VerifyCheck[] = [];
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    const p = new x.X509Certificate(c.raw);
    const ku = p.getExtension(x.KeyUsagesExtension);
    if (!c.ca) return [{name: 'ca', ok: false, code: 'NOT_A_CA', detail: `${dn(c.subject)} issued ${dn(path[i - 1].subject)} but is not a CA (its basicConstraints lack CA:TRUE)`}];
    if (ku && !(ku.usages & x.KeyUsageFlags.keyCertSign)) return [{name: 'ca', ok: false, code: 'NOT_A_CA', detail: `${dn(c.subject)} may not sign certificates (its keyUsage lacks keyCertSign)`}];
    const pathLen = p.getExtension(x.BasicConstraintsExtension)?.pathLength;
    const below = i - 1;
    if (pathLen !== undefined && below > pathLen) {
      out.push({name: 'path-length', ok: false, code: 'PATH_LEN_EXCEEDED', detail: `${dn(c.subject)} allows ${pathLen} intermediate CA(s) below it (pathLen ${pathLen}) but the chain has ${below}`});
    }
  }
  if (path.length > 1) out.unshift({name: 'ca', ok: true, detail: 'every issuer is a CA allowed to sign certificates'});
  if (!out.some((c) => c.name === 'path-length')) out.push({name: 'path-length', ok: true, detail: 'path length constraints hold'});
  return out;
}

function purposeCheck(x: X509Lib, path: X509Certificate[], purpose: Purpose): VerifyCheck {
  const want = EKU_OID[purpose];
  const label = purpose === 'server' ? 'serverAuth' : 'clientAuth';
  for (const [i, c] of path.entries()) {
    const eku = new x.X509Certificate(c.raw).getExtension(x.ExtendedKeyUsageExtension);
    const usages = (eku?.usages ?? []).map(String);
    if (eku && !usages.includes(want) && !usages.includes(ANY_EKU)) {
      const has = describeCertificate(x, c).extendedKeyUsage.join(', ') || 'none';
      return {name: 'purpose', ok: false, code: 'WRONG_PURPOSE', detail: `${dn(c.subject)} ${i === 0 ? 'is' : '(a CA in the chain) restricts its chain'} not for TLS ${purpose} use: its extendedKeyUsage is ${has}, ${label} is needed`};
    }
  }
  const ku = new x.X509Certificate(path[0].raw).getExtension(x.KeyUsagesExtension);
  if (ku && !(ku.usages & (x.KeyUsageFlags.digitalSignature | x.KeyUsageFlags.keyEncipherment | x.KeyUsageFlags.keyAgreement))) {
    return {name: 'purpose', ok: false, code: 'WRONG_PURPOSE', detail: `${dn(path[0].subject)} may not be used for TLS: its keyUsage lacks digitalSignature`};
  }
  return {name: 'purpose', ok: true, detail: `usable as a TLS ${purpose} (${label})`};
}

function hostCheck(x: X509Lib, leaf: X509Certificate, host: string): VerifyCheck {
  // A zone ("fe80::1%eth0") names the link, not the address: certificates hold the address alone.
  const bare = host.replace(/^\[(.*)\]$/, '$1').replace(/^([^%]*:[^%]*)%.*$/, '$1');
  const isAddress = ipVersion(bare) !== 0;
  const match = isAddress ? leaf.checkIP(bare) : leaf.checkHost(bare, {subject: 'never'});
  if (match) return {name: 'host', ok: true, detail: `${isAddress ? 'IP' : 'name'} ${bare} matches ${match}`};
  const names = describeCertificate(x, leaf).sans.filter((s) => s.startsWith('DNS:') || s.startsWith('IP:'));
  return {name: 'host', ok: false, code: 'HOST_MISMATCH', detail: `${dn(leaf.subject)} is not valid for ${bare}: its names are ${names.join(', ') || 'none (no DNS or IP subject alternative names; the CN is not used)'}`};
}

/** Certificates already parsed, for verifying what a server presented. */
export interface ParsedVerifyInput {
  leaf: X509Certificate;
  anchors: X509Certificate[];
  pool: X509Certificate[];
  host?: string;
  purpose?: Purpose;
  crls?: string[];
  at?: Date;
}

/** Verifies a certificate: chain to a trusted root, signatures, validity, CA constraints, purpose, host name, revocation. */
export async function verifyCertificate(opts: VerifyOptions): Promise<VerifyResult> {
  const [leaf, ...extra] = readCertificates(opts.cert);
  const anchors = opts.ca.flatMap((f) => readCertificates(anchorFile(f), 'trusted root'));
  const pool = [...extra, ...(opts.intermediates ?? []).flatMap((f) => readCertificates(f, 'intermediate certificate'))];
  return verifyParsed({leaf, anchors, pool, host: opts.host, purpose: opts.purpose, crls: opts.crls, at: opts.at});
}

export async function verifyParsed(opts: ParsedVerifyInput): Promise<VerifyResult> {
  const x = await loadX509();
  const at = opts.at ?? new Date();
  const {leaf} = opts;
  const built = buildPath(leaf, opts.anchors, opts.pool);
  const checks: VerifyCheck[] = [];
  checks.push(built.failure ?? {name: 'chain', ok: true, detail: `${built.path.map((c) => dn(c.subject)).join(' <- ')} (${issuedBy(built.path.at(-1)!, built.path.at(-1)!) ? 'a trusted root' : 'ends at a certificate trusted through --ca'})`});
  if (!built.failure) checks.push({name: 'signature', ok: true, detail: 'every signature verifies with its issuer\'s key'});
  checks.push(timeCheck(built.path, at));
  checks.push(...caChecks(x, built.path));
  if (opts.purpose) checks.push(purposeCheck(x, built.path, opts.purpose));
  if (opts.host) checks.push(hostCheck(x, leaf, opts.host));
  if (opts.crls?.length) checks.push(await checkRevocation(x, built.path, await loadCrls(x, opts.crls), at));
  const failed = checks.find((c) => !c.ok);
  return {
    ok: !failed,
    certificate: dn(leaf.subject),
    ...(failed ? {reason: failed.detail, code: failed.code} : {}),
    chain: built.path.map((c, i) => ({subject: dn(c.subject), issuer: dn(c.issuer), serial: c.serialNumber.toLowerCase(), notAfter: new Date(c.validTo).toISOString(), trusted: built.trusted && i === built.path.length - 1})),
    checks,
  };
}
