import {createPrivateKey, createPublicKey, X509Certificate} from 'node:crypto';
import {extname} from 'node:path';
import {DialError, ExitCode} from '../errors/index.js';
import {chainOrder, describeCertificate, dn, type CertInfo} from './cert-info.js';
import {describeKey, type KeyDescription} from './key-types.js';
import {isPrivateKeyBlock, keyMatchesCertificate, parsePrivateKey, privateKeyFromBlock} from './keys.js';
import {isCertificateBlock, isPem, parseCertificateBlock, parsePem, readInput, type PemBlock} from './pem.js';
import {readPkcs12} from './pkcs12.js';
import {loadX509, type X509Lib} from './x509.js';

export interface KeyInfo {
  source: string;
  key: KeyDescription;
  /** Whether it is the key of the first certificate (absent when there is none). */
  matchesCertificate?: boolean;
}

export interface CsrInfo {
  subject: string;
  sans: string[];
  key: KeyDescription;
  signatureValid: boolean;
}

export interface CrlInfo {
  issuer: string;
  thisUpdate: string;
  nextUpdate?: string;
  revoked: {serial: string; revokedAt: string; reason?: string}[];
}

/** What `dial tls inspect FILE` returns. */
export interface InspectFileResult {
  source: string;
  format: 'pem' | 'der' | 'pkcs12';
  certificates: CertInfo[];
  chain: {inOrder: boolean; problems: string[]};
  keys: KeyInfo[];
  requests: CsrInfo[];
  crls: CrlInfo[];
  /** Things worth attention: expired or not yet valid certificates, a key that does not match, blocks dial skipped. */
  warnings: string[];
}

export interface InspectFileOptions {
  /** Password of a PKCS#12 bundle. */
  password?: string;
  /** A private key file to check against the certificate. */
  keyFile?: string;
  now?: Date;
}

/** Reads a PEM, DER or PKCS#12 file and describes every certificate, key, CSR and CRL in it. */
export async function inspectFile(file: string, opts: InspectFileOptions = {}): Promise<InspectFileResult> {
  const data = readInput(file);
  const certs: X509Certificate[] = [];
  const keyDers: {der: Buffer; source: string}[] = [];
  const result: InspectFileResult = {source: file, format: 'pem', certificates: [], chain: {inOrder: true, problems: []}, keys: [], requests: [], crls: [], warnings: []};
  if (!isPem(data) && data[0] !== 0x30) parsePem(data, file);
  // Bad input fails above, before the ~80 ms import of @peculiar/x509.
  const x = await loadX509();
  if (['.p12', '.pfx'].includes(extname(file).toLowerCase()) || (!isPem(data) && !looksLikeCertificate(data))) {
    result.format = 'pkcs12';
    const p12 = await readPkcs12(data, file, opts.password);
    certs.push(...p12.certificates);
    keyDers.push(...p12.keys.map((der) => ({der, source: file})));
  } else {
    result.format = isPem(data) ? 'pem' : 'der';
    for (const block of parsePem(data, file)) await addBlock(x, block, file, certs, keyDers, result);
  }
  if (opts.keyFile) keyDers.push({der: exportPkcs8(parsePrivateKey(readInput(opts.keyFile, 'key file'), opts.keyFile)), source: opts.keyFile});
  const now = opts.now ?? new Date();
  result.certificates = certs.map((c) => describeCertificate(x, c, now));
  result.chain = chainOrder(certs);
  for (const k of keyDers) {
    const keyObject = createPrivateKey({key: k.der, format: 'der', type: 'pkcs8'});
    const matches = certs.length ? keyMatchesCertificate(keyObject, certs[0]) : undefined;
    result.keys.push({source: k.source, key: describeKey(keyObject), ...(matches === undefined ? {} : {matchesCertificate: matches})});
    if (matches === false) {
      if (k.source === opts.keyFile) {
        throw new DialError('KEY_MISMATCH', `the key in ${k.source} does not belong to the certificate ${dn(certs[0].subject)} in ${file}: its public half differs from the certificate's`, {
          hint: 'pair each certificate with the -key.pem file issued with it', exitCode: ExitCode.Failed,
        });
      }
      result.warnings.push(`the private key in ${k.source} does not match the first certificate (${dn(certs[0].subject)})`);
    }
  }
  for (const c of result.certificates) {
    if (c.status === 'expired') result.warnings.push(`${c.subject} expired ${-c.daysLeft} day(s) ago (${c.notAfter})`);
    if (c.status === 'not yet valid') result.warnings.push(`${c.subject} is not valid before ${c.notBefore}`);
  }
  result.warnings.push(...result.chain.problems);
  if (!certs.length && !keyDers.length && !result.requests.length && !result.crls.length) {
    throw new DialError('NOTHING_TO_INSPECT', `${file} holds no certificate, key, request or CRL`, {exitCode: ExitCode.Usage});
  }
  return result;
}

function looksLikeCertificate(der: Buffer): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

function exportPkcs8(k: ReturnType<typeof createPrivateKey>): Buffer {
  return k.export({type: 'pkcs8', format: 'der'});
}

async function addBlock(x: X509Lib, block: PemBlock, file: string, certs: X509Certificate[], keys: {der: Buffer; source: string}[], result: InspectFileResult): Promise<void> {
  if (block.type === undefined || isCertificateBlock(block)) {
    certs.push(parseCertificateBlock(block, file));
  } else if (isPrivateKeyBlock(block)) {
    keys.push({der: exportPkcs8(privateKeyFromBlock(block, `${file} block ${block.index}`)), source: file});
  } else if (block.type === 'CERTIFICATE REQUEST' || block.type === 'NEW CERTIFICATE REQUEST') {
    const csr = new x.Pkcs10CertificateRequest(block.der);
    const sanExt = csr.getExtension('2.5.29.17');
    const sans = sanExt ? new x.SubjectAlternativeNameExtension(sanExt.rawData).names.items.map((n) => `${n.type.toUpperCase()}:${n.value}`) : [];
    const keyObject = createPublicKey({key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki'});
    result.requests.push({subject: csr.subject, sans, key: describeKey(keyObject), signatureValid: await csr.verify().catch(() => false)});
  } else if (block.type === 'X509 CRL' || block.type === 'CRL') {
    const crl = new x.X509Crl(block.der);
    result.crls.push({
      issuer: crl.issuer, thisUpdate: crl.thisUpdate.toISOString(), ...(crl.nextUpdate ? {nextUpdate: crl.nextUpdate.toISOString()} : {}),
      revoked: crl.entries.map((e) => ({serial: e.serialNumber.toLowerCase(), revokedAt: e.revocationDate.toISOString(), ...(e.reason !== undefined ? {reason: x.X509CrlReason[e.reason]} : {})})),
    });
  } else {
    result.warnings.push(`skipped PEM block ${block.index} (${block.type}): not a certificate, key, request or CRL`);
  }
}
