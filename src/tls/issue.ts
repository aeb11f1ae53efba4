import {X509Certificate} from 'node:crypto';
import {ipVersion} from '../util/ip.js';
import {join} from 'node:path';
import {usageError} from '../errors/index.js';
import {loadCa, saveMeta, type LoadedCa} from './ca-dir.js';
import {loadCsr} from './csr.js';
import {writeOutputs, type OutputFile} from './files.js';
import {DEFAULT_KEY_TYPE, describeKey, keyAlgorithm, type KeyType} from './key-types.js';
import {generateKeyPair, privateKeyPem, type KeyPair} from './keys.js';
import {isDnsName, sanEntries, sanLabel, subjectDn, type SanEntry, type SanInput} from './names.js';
import {leafExtensions, randomSerial, type Profile} from './profiles.js';
import {validityWindow} from './validity.js';
import {buildCertificate, certificatePem, nameDer} from './cert-builder.js';
import {loadX509} from './x509.js';

export interface IssueOptions extends SanInput {
  /** File base name (NAME.pem, NAME-key.pem, NAME-fullchain.pem) and default CN. */
  name: string;
  /** CA folder. */
  ca: string;
  out: string;
  profile: Profile;
  cn?: string;
  subject?: string;
  keyType?: KeyType;
  days?: number;
  notAfter?: string;
  notBefore?: string;
  /** Sign this PKCS#10 request instead of generating a key. */
  csr?: string;
  /** A key pair generated beforehand (of keyType), e.g. in parallel with others. */
  keyPair?: KeyPair;
  /** The CA of `ca`, loaded beforehand (to issue several certificates with one load). */
  loadedCa?: LoadedCa;
  force?: boolean;
}

export interface IssueResult {
  name: string;
  profile: Profile;
  subject: string;
  issuer: string;
  serial: string;
  sans: string[];
  key: string;
  notBefore: string;
  notAfter: string;
  ca: string;
  /** The root certificate peers must trust. */
  trust: string;
  files: {cert: string; fullchain: string; key?: string};
  fromCsr: boolean;
}

export const DEFAULT_LEAF_DAYS = 365;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/** Default SANs of a server certificate named like a host: NAME itself. */
function defaultSans(name: string, profile: Profile): SanEntry[] {
  if (profile === 'client') return [];
  if (ipVersion(name)) return [{type: 'ip', value: name}];
  if (isDnsName(name, false)) return [{type: 'dns', value: name.toLowerCase()}];
  return [];
}

/**
 * Issues a server, client or dual-use certificate signed by the CA in
 * `opts.ca`: a fresh key (or the key of a CSR), a random 128-bit serial,
 * keyUsage/extendedKeyUsage for the profile, and SANs of every kind.
 */
export async function issueCertificate(opts: IssueOptions): Promise<IssueResult> {
  if (!FILE_NAME.test(opts.name)) {
    throw usageError(`'${opts.name}' cannot be a file name`, 'use letters, digits, ".", "-", "_" or "@" for NAME (put wildcards and other names in --dns)');
  }
  if (opts.csr && opts.keyType) throw usageError('--key and --csr both given', 'a CSR brings its own key: drop --key');
  const ca = opts.loadedCa ?? (await loadCa(opts.ca));
  // @peculiar/x509 parses a CSR; dial builds certificates itself (cert-builder.ts).
  const csr = opts.csr ? await loadCsr(await loadX509(), opts.csr) : undefined;
  let sans = sanEntries(opts);
  if (csr) sans = [...csr.sans.filter((s) => !sans.some((o) => o.type === s.type && o.value === s.value)), ...sans];
  if (sans.length === 0) sans = defaultSans(opts.name, opts.profile);
  if (sans.length === 0 && opts.profile !== 'client') {
    throw usageError(`a ${opts.profile} certificate needs a name clients connect to: '${opts.name}' is not a host name`, 'add --dns HOST and/or --ip ADDRESS (or --client for a client-only certificate)');
  }
  // A CSR's subject is kept unless --cn or --subject replaces it.
  const subject = csr && !opts.cn && !opts.subject && csr.subject ? csr.subject : subjectDn(opts.cn ?? opts.name, opts.subject);
  const {notBefore, notAfter} = validityWindow({days: opts.days, notAfter: opts.notAfter, notBefore: opts.notBefore, defaultDays: DEFAULT_LEAF_DAYS}, new Date(ca.cert.validTo));
  const keyType = opts.keyType ?? DEFAULT_KEY_TYPE;
  const keys = csr ? undefined : (opts.keyPair ?? (await generateKeyPair(keyType)));
  const spki = csr ? csr.spki : keys!.publicKey.export({type: 'spki', format: 'der'});
  const keyAlg = csr ? csr.keyAlgorithm : (keyAlgorithm(keyType).generate.name);
  const cert = buildCertificate({
    serial: randomSerial(), issuer: ca.subjectDer, subject: csr && subject === csr.subject ? csr.subjectDer : nameDer(subject), notBefore, notAfter, spki,
    signer: ca.key.keyObject,
    extensions: leafExtensions({profile: opts.profile, keyAlgorithm: keyAlg.startsWith('RSA') ? 'RSA' : keyAlg, sans, spki, authorityKeyId: ca.keyId}),
  });
  const pem = certificatePem(cert) + '\n';
  const intermediates = splitChain(ca.chainPem).filter((c) => c.issuer !== c.subject).map((c) => c.toString()).join('');
  const files: IssueResult['files'] = {cert: join(opts.out, `${opts.name}.pem`), fullchain: join(opts.out, `${opts.name}-fullchain.pem`)};
  const outputs: OutputFile[] = [
    {path: files.cert, content: pem},
    {path: files.fullchain, content: pem + intermediates},
  ];
  if (keys) {
    files.key = join(opts.out, `${opts.name}-key.pem`);
    outputs.unshift({path: files.key, content: privateKeyPem(keys.privateKey), secret: true});
  }
  writeOutputs(outputs, Boolean(opts.force));
  const node = new X509Certificate(pem);
  ca.meta.issued.push({serial: node.serialNumber.toLowerCase(), subject: node.subject.replace(/\n/g, ', '), kind: 'leaf', profile: opts.profile, notAfter: notAfter.toISOString(), issuedAt: new Date().toISOString()});
  saveMeta(ca.dir, ca.meta);
  return {
    name: opts.name, profile: opts.profile, subject: node.subject.replace(/\n/g, ', '), issuer: node.issuer.replace(/\n/g, ', '),
    serial: node.serialNumber.toLowerCase(), sans: sans.map(sanLabel), key: describeKey(node.publicKey).label,
    notBefore: new Date(node.validFrom).toISOString(), notAfter: new Date(node.validTo).toISOString(),
    ca: ca.dir, trust: ca.rootFile, files, fromCsr: Boolean(csr),
  };
}

function splitChain(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((b) => new X509Certificate(b));
}
