import {X509Certificate} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {homePaths} from '../config/index.js';
import {DialError, ExitCode} from '../errors/index.js';
import {writeOutputs} from './files.js';
import type {KeyType} from './key-types.js';
import {keyMatchesCertificate, loadSigningKey, type LoadedKey} from './keys.js';
import {readCertificates, readInput} from './pem.js';
import {certificateParts, keyIdentifier} from './cert-builder.js';

/** The files of a CA folder. */
export function caPaths(dir: string) {
  return {
    dir,
    cert: join(dir, 'ca.pem'),
    key: join(dir, 'ca-key.pem'),
    /** This CA and every CA above it, root last. */
    chain: join(dir, 'ca-chain.pem'),
    /** The self-signed root to trust (for a root CA: ca.pem itself). */
    root: join(dir, 'root.pem'),
    meta: join(dir, 'ca.json'),
    crl: join(dir, 'crl.pem'),
  };
}

export const DEFAULT_CA_NAME = 'dial CA';

/** DIAL_HOME/tls/<slug>: where `tls ca create` writes by default. */
export function defaultCaDir(home: string, slugName = 'dial-ca'): string {
  return join(homePaths(home).tlsDir, slugName);
}

export interface IssuedRecord {
  serial: string;
  subject: string;
  kind: 'leaf' | 'ca';
  profile?: string;
  notAfter: string;
  issuedAt: string;
}

export interface RevokedRecord {
  serial: string;
  revokedAt: string;
  reason: string;
}

/** ca.json: what a CA folder remembers (issued serials for revocation, the CRL number). */
export interface CaMeta {
  version: 1;
  name: string;
  kind: 'root' | 'intermediate';
  keyType?: KeyType;
  createdAt: string;
  crlNumber: number;
  issued: IssuedRecord[];
  revoked: RevokedRecord[];
}

export interface LoadedCa {
  dir: string;
  paths: ReturnType<typeof caPaths>;
  cert: X509Certificate;
  /** The DER subject Name: the issuer of what the CA signs. */
  subjectDer: Buffer;
  key: LoadedKey;
  /** PEM of this CA and its parents (root last). */
  chainPem: string;
  /** The root to trust for certificates of this CA. */
  rootFile: string;
  meta: CaMeta;
  /** basicConstraints pathLenConstraint (undefined = no limit). */
  pathLen?: number;
  /** Hex subject key identifier (for the AKI of what this CA signs). */
  keyId: string;
}

function caError(code: string, message: string, hint: string): DialError {
  return new DialError(code, message, {hint, exitCode: ExitCode.Usage});
}

/** Loads a CA folder, checking that it is usable for signing: a CA cert, its matching key, still valid. */
export async function loadCa(dir: string, now = new Date()): Promise<LoadedCa> {
  const paths = caPaths(dir);
  if (!existsSync(paths.cert)) {
    throw caError('CA_NOT_FOUND', `no CA in ${dir} (${paths.cert} does not exist)`, `create one with 'dial tls ca create --out ${dir}', or pass --ca with a CA folder`);
  }
  const cert = readCertificates(paths.cert, 'CA certificate')[0];
  const subject = cert.subject.replace(/\n/g, ', ');
  if (!cert.ca) {
    throw caError('NOT_A_CA', `${paths.cert} (${subject}) is not a CA certificate: its basicConstraints do not say CA:TRUE, so what it signs will not verify`, 'use a CA made by `dial tls ca create` (or openssl with -extensions v3_ca)');
  }
  const {subject: subjectDer, keyCertSign, pathLen, keyId: ski} = certificateParts(cert.raw);
  if (keyCertSign === false) {
    throw caError('NOT_A_CA', `${paths.cert} (${subject}) may not sign certificates: its keyUsage lacks keyCertSign`, 'use a CA certificate with keyUsage keyCertSign');
  }
  if (!existsSync(paths.key)) throw caError('CA_KEY_MISSING', `the CA in ${dir} has no private key (${paths.key})`, 'a CA can only sign with its key; copy ca-key.pem next to ca.pem');
  const key = await loadSigningKey(readInput(paths.key, 'CA key'), paths.key);
  if (!keyMatchesCertificate(key.keyObject, cert)) {
    throw caError('KEY_MISMATCH', `${paths.key} does not belong to ${paths.cert}: the certificate carries a different public key`, 'put the CA\'s own key next to it, or create a new CA');
  }
  if (Date.parse(cert.validTo) < now.getTime()) {
    throw caError('CA_EXPIRED', `the CA ${subject} in ${dir} expired on ${new Date(cert.validTo).toISOString()}`, "create a new CA with 'dial tls ca create --force'");
  }
  const keyId = ski ?? keyIdentifier(cert.publicKey.export({type: 'spki', format: 'der'}));
  const meta = readMeta(paths.meta) ?? {
    version: 1, name: cert.subject.match(/CN=([^\n]*)/)?.[1] ?? dir, kind: cert.issuer === cert.subject ? 'root' : 'intermediate',
    createdAt: new Date(cert.validFrom).toISOString(), crlNumber: 0, issued: [], revoked: [],
  };
  const chainPem = existsSync(paths.chain) ? readFileSync(paths.chain, 'utf8') : cert.toString();
  const rootFile = existsSync(paths.root) ? paths.root : paths.cert;
  return {dir, paths, cert, subjectDer, key, chainPem, rootFile, meta, pathLen, keyId};
}

function readMeta(file: string): CaMeta | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as CaMeta;
    if (m.version !== 1 || !Array.isArray(m.issued) || !Array.isArray(m.revoked)) throw new Error('unexpected shape');
    return m;
  } catch (e) {
    throw caError('CA_META_CORRUPT', `${file} is not a valid CA record (${(e as Error).message})`, 'restore it from a backup, or delete it (revocations recorded in it are then lost)');
  }
}

export function saveMeta(dir: string, meta: CaMeta): void {
  writeOutputs([{path: caPaths(dir).meta, content: JSON.stringify(meta, null, 2) + '\n', secret: true}], true);
}
