import {existsSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {DialError, ExitCode, usageError} from '../errors/index.js';
import {dn} from './cert-info.js';
import {writeOutputs} from './files.js';
import {keyMatchesCertificate, parsePrivateKey} from './keys.js';
import {readCertificates, readInput} from './pem.js';
import {buildPkcs12} from './pkcs12.js';

export interface ExportOptions {
  /** Certificate (or full chain) PEM file. */
  cert: string;
  /** Private key; default: NAME-key.pem beside NAME.pem. */
  key?: string;
  /** Output; default: NAME.p12 beside the certificate. */
  out?: string;
  password?: string;
  force?: boolean;
}

export interface ExportResult {
  file: string;
  subject: string;
  certificates: number;
  key: string;
  passwordProtected: boolean;
}

function baseName(cert: string): string {
  return basename(cert).replace(/(-fullchain)?\.(pem|crt|cer)$/i, '');
}

/** Writes a PKCS#12 bundle (key + certificate + chain) for Java keystores, browsers and Windows. */
export async function exportPkcs12(opts: ExportOptions): Promise<ExportResult> {
  const name = baseName(opts.cert);
  const dir = dirname(opts.cert);
  const keyFile = opts.key ?? join(dir, `${name}-key.pem`);
  if (!opts.key && !existsSync(keyFile)) throw usageError(`no key file next to ${opts.cert} (looked for ${keyFile})`, 'pass it with --key');
  let certs = readCertificates(opts.cert);
  const fullchain = join(dir, `${name}-fullchain.pem`);
  if (certs.length === 1 && existsSync(fullchain)) {
    const chain = readCertificates(fullchain);
    if (chain[0].fingerprint256 === certs[0].fingerprint256) certs = chain;
  }
  const key = parsePrivateKey(readInput(keyFile, 'key file'), keyFile);
  if (!keyMatchesCertificate(key, certs[0])) {
    throw new DialError('KEY_MISMATCH', `the key in ${keyFile} does not belong to ${dn(certs[0].subject)} in ${opts.cert}`, {
      hint: 'pass the key issued with this certificate (--key)', exitCode: ExitCode.Failed,
    });
  }
  const file = opts.out ?? join(dir, `${name}.p12`);
  const p12 = await buildPkcs12({
    cert: certs[0].raw, chain: certs.slice(1).map((c) => c.raw),
    key: key.export({type: 'pkcs8', format: 'der'}), password: opts.password ?? '', friendlyName: name,
  });
  writeOutputs([{path: file, content: p12, secret: true}], Boolean(opts.force));
  return {file, subject: dn(certs[0].subject), certificates: certs.length, key: keyFile, passwordProtected: Boolean(opts.password)};
}
