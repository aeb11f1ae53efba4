import {existsSync, statSync} from 'node:fs';
import {DialError, ExitCode, usageError} from '../errors/index.js';
import {loadCa, saveMeta, type LoadedCa} from './ca-dir.js';
import {dn, issuedBy} from './cert-info.js';
import {writeOutputs} from './files.js';
import {keyAlgorithm} from './key-types.js';
import {signingCryptoKey} from './keys.js';
import {readCertificates, toPem} from './pem.js';
import {normalizeSerial} from './profiles.js';
import {loadPki, type PkiLibs} from './x509.js';

/** RFC 5280 revocation reasons, as --reason takes them. */
export const REVOCATION_REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', 'privilegeWithdrawn'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface CrlResult {
  ca: string;
  issuer: string;
  file: string;
  crlNumber: number;
  thisUpdate: string;
  nextUpdate: string;
  revoked: {serial: string; revokedAt: string; reason: string}[];
}

export interface RevokeResult extends CrlResult {
  serial: string;
  subject?: string;
  alreadyRevoked: boolean;
}

export const DEFAULT_CRL_DAYS = 7;

/** The serial of SERIAL-or-FILE: a certificate file's serial (checked to be from this CA), or hex as written. */
function serialOf(ca: LoadedCa, what: string): {serial: string; subject?: string} {
  if (existsSync(what) && statSync(what).isFile()) {
    const cert = readCertificates(what)[0];
    if (!issuedBy(cert, ca.cert)) {
      throw usageError(`${what} (${dn(cert.subject)}) was not issued by the CA in ${ca.dir} (${dn(ca.cert.subject)})`, 'revoke it with the CA that issued it');
    }
    return {serial: normalizeSerial(cert.serialNumber), subject: dn(cert.subject)};
  }
  const serial = normalizeSerial(what);
  if (!/^[0-9a-f]{1,40}$/.test(serial)) throw usageError(`'${what}' is neither a certificate file nor a hex serial number`, "e.g. 'dial tls revoke 3f:a9:...' or 'dial tls revoke alice.pem' (serials are shown by 'dial tls inspect')");
  return {serial};
}

/**
 * Records a revocation in the CA folder (ca.json) and writes a fresh CRL.
 * Unknown serials are refused unless `force` (a typo would otherwise revoke nothing, silently).
 */
export async function revokeCertificate(opts: {ca: string; serial: string; reason?: RevocationReason; days?: number; force?: boolean}): Promise<RevokeResult> {
  const pki = await loadPki();
  const ca = await loadCa(opts.ca);
  const {serial, subject: fromFile} = serialOf(ca, opts.serial);
  const issued = ca.meta.issued.find((i) => normalizeSerial(i.serial) === serial);
  if (!issued && !opts.force) {
    throw new DialError('UNKNOWN_SERIAL', `the CA in ${ca.dir} has no record of issuing serial ${serial}`, {
      hint: "check the serial with 'dial tls inspect CERT'; pass --force to revoke it anyway (e.g. a certificate issued before dial kept records)",
      exitCode: ExitCode.Failed,
    });
  }
  const already = ca.meta.revoked.some((r) => normalizeSerial(r.serial) === serial);
  if (!already) ca.meta.revoked.push({serial, revokedAt: new Date().toISOString(), reason: opts.reason ?? 'unspecified'});
  const crl = await writeCrl(pki, ca, opts.days);
  return {...crl, serial, ...(issued?.subject ?? fromFile ? {subject: issued?.subject ?? fromFile} : {}), alreadyRevoked: already};
}

/** Writes DIR/crl.pem: every revocation of the CA, signed, with the next CRL number. */
export async function generateCrl(opts: {ca: string; days?: number; out?: string}): Promise<CrlResult> {
  const pki = await loadPki();
  return writeCrl(pki, await loadCa(opts.ca), opts.days, opts.out);
}

async function writeCrl(pki: PkiLibs, ca: LoadedCa, days = DEFAULT_CRL_DAYS, out?: string): Promise<CrlResult> {
  const {x509: x, asn1Schema: {AsnConvert}, asn1X509: {CRLNumber, id_ce_cRLNumber}} = pki;
  if (!(days > 0)) throw usageError(`--days must be a positive number, got ${days}`);
  const thisUpdate = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const nextUpdate = new Date(thisUpdate.getTime() + 60_000 + days * 86_400_000);
  const crlNumber = ca.meta.crlNumber + 1;
  const crl = await x.X509CrlGenerator.create({
    issuer: new x.Name(ca.subjectDer),
    thisUpdate, nextUpdate,
    entries: ca.meta.revoked.map((r) => ({
      serialNumber: r.serial.length % 2 ? `0${r.serial}` : r.serial,
      revocationDate: new Date(r.revokedAt),
      ...(r.reason !== 'unspecified' ? {reason: x.X509CrlReason[r.reason as keyof typeof x.X509CrlReason]} : {}),
    })),
    extensions: [
      new x.AuthorityKeyIdentifierExtension(ca.keyId),
      new x.Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(crlNumber))),
    ],
    signingAlgorithm: keyAlgorithm(ca.key.type).sign,
    signingKey: (await signingCryptoKey(ca.key)) as never,
  });
  const file = out ?? ca.paths.crl;
  writeOutputs([{path: file, content: toPem('X509 CRL', Buffer.from(crl.rawData))}], true);
  ca.meta.crlNumber = crlNumber;
  saveMeta(ca.dir, ca.meta);
  return {
    ca: ca.dir, issuer: dn(ca.cert.subject), file, crlNumber, thisUpdate: thisUpdate.toISOString(), nextUpdate: nextUpdate.toISOString(),
    revoked: ca.meta.revoked.map((r) => ({serial: r.serial, revokedAt: r.revokedAt, reason: r.reason})),
  };
}
