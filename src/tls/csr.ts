import {badInput, parsePem, readInput} from './pem.js';
import type {SanEntry} from './names.js';
import type {X509Lib} from './x509.js';

/** A certificate signing request made elsewhere (openssl req, step, cfssl, ...). */
export interface LoadedCsr {
  subject: string;
  sans: SanEntry[];
  /** The requested public key, SubjectPublicKeyInfo DER. */
  spki: Buffer;
  /** The requested subject, DER (kept as the requester encoded it). */
  subjectDer: Buffer;
  keyAlgorithm: string;
}

/** Reads a PKCS#10 CSR and checks its self-signature (proof that the requester holds the key). */
export async function loadCsr(x: X509Lib, file: string): Promise<LoadedCsr> {
  const blocks = parsePem(readInput(file, 'CSR'), file);
  const block = blocks.find((b) => b.type === undefined || b.type === 'CERTIFICATE REQUEST' || b.type === 'NEW CERTIFICATE REQUEST');
  if (!block) throw badInput('NO_CSR', `${file} holds no certificate request (it has: ${blocks.map((b) => b.type).join(', ')})`, 'pass a file with a "BEGIN CERTIFICATE REQUEST" block, e.g. from openssl req -new');
  let csr;
  try {
    csr = new x.Pkcs10CertificateRequest(block.der);
  } catch (e) {
    throw badInput('BAD_CSR', `${file} is not a valid PKCS#10 request (${(e as Error).message})`, 'make the request again');
  }
  const valid = await csr.verify().catch(() => false);
  if (!valid) throw badInput('BAD_CSR', `the signature of the request in ${file} does not verify: it was altered or not signed with its own key`, 'make the request again');
  const sanExt = csr.getExtension('2.5.29.17');
  const sans: SanEntry[] = [];
  if (sanExt) {
    const names = new x.SubjectAlternativeNameExtension(sanExt.rawData).names.items;
    for (const n of names) {
      const type = n.type === 'url' ? 'uri' : n.type;
      if (type === 'dns' || type === 'ip' || type === 'uri' || type === 'email') sans.push({type, value: n.value});
    }
  }
  return {subject: csr.subject, subjectDer: Buffer.from(csr.subjectName.toArrayBuffer()), sans, spki: Buffer.from(csr.publicKey.rawData), keyAlgorithm: (csr.publicKey.algorithm as {name: string}).name};
}
