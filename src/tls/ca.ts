import {X509Certificate} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {DialError, ExitCode, usageError} from '../errors/index.js';
import {caPaths, loadCa, saveMeta, type CaMeta, type LoadedCa} from './ca-dir.js';
import {writeOutputs} from './files.js';
import {DEFAULT_KEY_TYPE, describeKey, type KeyType} from './key-types.js';
import {generateKeyPair, privateKeyPem} from './keys.js';
import {escapeDnValue} from './names.js';
import {caExtensions, randomSerial} from './profiles.js';
import {validityWindow} from './validity.js';
import {buildCertificate, certificatePem, keyIdentifier, nameDer} from './cert-builder.js';

export interface CreateCaOptions {
  name: string;
  out: string;
  keyType?: KeyType;
  days?: number;
  notAfter?: string;
  /** basicConstraints pathLenConstraint: how many intermediates may follow (default: no limit for a root). */
  pathLen?: number;
  force?: boolean;
}

export interface IntermediateOptions extends CreateCaOptions {
  /** Folder of the CA that signs the intermediate. */
  parent: string;
}

/** What `tls ca create` and `tls ca intermediate` return. */
export interface CaResult {
  kind: 'root' | 'intermediate';
  name: string;
  subject: string;
  issuer: string;
  serial: string;
  keyType: KeyType;
  key: string;
  notBefore: string;
  notAfter: string;
  /** null: no limit */
  pathLen: number | null;
  dir: string;
  files: {cert: string; key: string; chain: string; meta: string; root?: string};
}

export const DEFAULT_CA_DAYS = 3650;
export const DEFAULT_INTERMEDIATE_DAYS = 1825;

function checkPathLen(n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw usageError(`--path-len must be a whole number >= 0, got ${n}`);
}

/** Creates a self-signed root CA in `out` (ca.pem, ca-key.pem 0600, ca-chain.pem, ca.json). */
export async function createCa(opts: CreateCaOptions): Promise<CaResult> {
  return (await createRootCa(opts)).result;
}

/**
 * createCa, and the CA as loadCa would read it back from `out`: `tls init`
 * signs its first certificates with it at once instead of reading, parsing and
 * checking again the files it has just written.
 */
export async function createRootCa(opts: CreateCaOptions): Promise<{result: CaResult; loaded: LoadedCa}> {
  checkPathLen(opts.pathLen);
  const keyType = opts.keyType ?? DEFAULT_KEY_TYPE;
  const {notBefore, notAfter} = validityWindow({days: opts.days, notAfter: opts.notAfter, defaultDays: DEFAULT_CA_DAYS});
  const keys = await generateKeyPair(keyType);
  const spki = keys.publicKey.export({type: 'spki', format: 'der'});
  const name = nameDer(`CN=${escapeDnValue(opts.name)}`);
  const signer = keys.privateKey;
  const cert = buildCertificate({
    serial: randomSerial(), issuer: name, subject: name, notBefore, notAfter, spki,
    signer, extensions: caExtensions(spki, opts.pathLen),
  });
  const p = caPaths(opts.out);
  const pem = certificatePem(cert) + '\n';
  writeOutputs([
    {path: p.key, content: privateKeyPem(keys.privateKey), secret: true},
    {path: p.cert, content: pem},
    {path: p.chain, content: pem},
  ], Boolean(opts.force));
  const meta: CaMeta = {version: 1, name: opts.name, kind: 'root', keyType, createdAt: new Date().toISOString(), crlNumber: 0, issued: [], revoked: []};
  saveMeta(opts.out, meta);
  const node = new X509Certificate(pem);
  const loaded: LoadedCa = {
    dir: opts.out, paths: p, cert: node, subjectDer: name, key: {keyObject: signer, type: keyType, description: describeKey(signer)},
    chainPem: pem, rootFile: p.cert, meta, pathLen: opts.pathLen, keyId: keyIdentifier(spki),
  };
  return {result: result('root', opts, keyType, node, opts.pathLen, {cert: p.cert, key: p.key, chain: p.chain, meta: p.meta}), loaded};
}

/**
 * Creates an intermediate CA signed by the CA in `parent`. Its path length
 * constraint is at most the parent's minus one (default 0: it signs leaves
 * only); a parent whose constraint is 0 cannot have intermediates at all.
 */
export async function createIntermediate(opts: IntermediateOptions): Promise<CaResult> {
  checkPathLen(opts.pathLen);
  const parent = await loadCa(opts.parent);
  if (parent.pathLen === 0) {
    throw new DialError('PATH_LEN_EXCEEDED', `the CA in ${opts.parent} has pathLen 0: it may sign only leaf certificates, not another CA`, {
      hint: 'sign the intermediate with a CA whose path length allows it (a root made without --path-len, or --path-len >= 1)',
      exitCode: ExitCode.Usage,
    });
  }
  const maxLen = parent.pathLen === undefined ? undefined : parent.pathLen - 1;
  const pathLen = opts.pathLen ?? 0;
  if (maxLen !== undefined && pathLen > maxLen) {
    throw usageError(`--path-len ${pathLen} is more than the parent CA allows (its pathLen ${parent.pathLen} leaves at most ${maxLen} below this intermediate)`, `use --path-len ${maxLen} or less`);
  }
  const keyType = opts.keyType ?? DEFAULT_KEY_TYPE;
  const {notBefore, notAfter} = validityWindow({days: opts.days, notAfter: opts.notAfter, defaultDays: DEFAULT_INTERMEDIATE_DAYS}, new Date(parent.cert.validTo));
  const keys = await generateKeyPair(keyType);
  const spki = keys.publicKey.export({type: 'spki', format: 'der'});
  const cert = buildCertificate({
    serial: randomSerial(), issuer: parent.subjectDer, subject: nameDer(`CN=${escapeDnValue(opts.name)}`), notBefore, notAfter, spki,
    signer: parent.key.keyObject, extensions: caExtensions(spki, pathLen, parent.keyId),
  });
  const pem = certificatePem(cert) + '\n';
  const p = caPaths(opts.out);
  writeOutputs([
    {path: p.key, content: privateKeyPem(keys.privateKey), secret: true},
    {path: p.cert, content: pem},
    {path: p.chain, content: pem + parent.chainPem},
    {path: p.root, content: readRoot(parent.rootFile)},
  ], Boolean(opts.force));
  saveMeta(opts.out, {version: 1, name: opts.name, kind: 'intermediate', keyType, createdAt: new Date().toISOString(), crlNumber: 0, issued: [], revoked: []});
  const node = new X509Certificate(pem);
  parent.meta.issued.push({serial: node.serialNumber.toLowerCase(), subject: node.subject.replace(/\n/g, ', '), kind: 'ca', notAfter: notAfter.toISOString(), issuedAt: new Date().toISOString()});
  saveMeta(opts.parent, parent.meta);
  return result('intermediate', opts, keyType, node, pathLen, {cert: p.cert, key: p.key, chain: p.chain, meta: p.meta, root: p.root});
}

function readRoot(file: string): string {
  return new X509Certificate(readFileSync(file)).toString();
}

function result(kind: CaResult['kind'], opts: CreateCaOptions, keyType: KeyType, cert: X509Certificate, pathLen: number | undefined, files: CaResult['files']): CaResult {
  return {
    kind, name: opts.name, subject: cert.subject.replace(/\n/g, ', '), issuer: cert.issuer.replace(/\n/g, ', '),
    serial: cert.serialNumber.toLowerCase(), keyType, key: describeKey(cert.publicKey).label,
    notBefore: new Date(cert.validFrom).toISOString(), notAfter: new Date(cert.validTo).toISOString(),
    pathLen: pathLen ?? null, dir: opts.out, files,
  };
}
