import type {X509Certificate} from 'node:crypto';
import {dn} from './cert-info.js';
import {badInput, parsePem, readInput} from './pem.js';
import type {VerifyCheck} from './verify.js';
import type {X509Lib} from './x509.js';

type Crl = InstanceType<X509Lib['X509Crl']>;

/** Reads CRL files (PEM "X509 CRL" blocks or DER). */
export async function loadCrls(x: X509Lib, files: string[]): Promise<{crl: Crl; file: string}[]> {
  const out: {crl: Crl; file: string}[] = [];
  for (const file of files) {
    const blocks = parsePem(readInput(file, 'CRL'), file).filter((b) => b.type === undefined || b.type === 'X509 CRL' || b.type === 'CRL');
    if (!blocks.length) throw badInput('NO_CRL', `${file} holds no CRL`, 'pass a file with a "BEGIN X509 CRL" block, e.g. from dial tls crl');
    for (const b of blocks) {
      try {
        out.push({crl: new x.X509Crl(b.der), file});
      } catch (e) {
        throw badInput('BAD_CRL', `${file}: block ${b.index} is not a valid CRL (${(e as Error).message})`);
      }
    }
  }
  return out;
}

/**
 * Checks each certificate below the trust anchor against its issuer's CRL
 * (signature and freshness of the CRL included). The leaf's issuer must have
 * a CRL among those given, as with openssl verify -crl_check.
 */
export async function checkRevocation(x: X509Lib, path: X509Certificate[], crls: {crl: Crl; file: string}[], at: Date): Promise<VerifyCheck> {
  const used: string[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const cert = new x.X509Certificate(path[i].raw);
    const issuer = new x.X509Certificate(path[i + 1].raw);
    const candidates = crls.filter((c) => c.crl.issuer === issuer.subject);
    if (!candidates.length) {
      if (i === 0) return {name: 'revocation', ok: false, code: 'CRL_MISSING', detail: `no CRL issued by ${dn(path[1].subject)} (the issuer of ${dn(path[0].subject)}) among --crl`};
      continue;
    }
    let verified: {crl: Crl; file: string} | undefined;
    for (const c of candidates) if (await c.crl.verify({publicKey: issuer.publicKey}).catch(() => false)) verified = c;
    if (!verified) return {name: 'revocation', ok: false, code: 'CRL_BAD_SIGNATURE', detail: `the CRL in ${candidates[0].file} names ${dn(path[i + 1].subject)} as issuer but its signature does not verify with that CA's key`};
    const {crl, file} = verified;
    if (crl.nextUpdate && crl.nextUpdate < at) return {name: 'revocation', ok: false, code: 'CRL_EXPIRED', detail: `the CRL in ${file} is out of date: its next update was due ${crl.nextUpdate.toISOString()}; run 'dial tls crl' for a fresh one`};
    if (crl.thisUpdate > at) return {name: 'revocation', ok: false, code: 'CRL_NOT_YET_VALID', detail: `the CRL in ${file} is not valid before ${crl.thisUpdate.toISOString()}`};
    const entry = crl.findRevoked(cert);
    if (entry) {
      const reason = entry.reason !== undefined ? `, reason ${x.X509CrlReason[entry.reason]}` : '';
      return {name: 'revocation', ok: false, code: 'REVOKED', detail: `${dn(path[i].subject)} (serial ${path[i].serialNumber.toLowerCase()}) was revoked by ${dn(path[i + 1].subject)} on ${entry.revocationDate.toISOString()}${reason}`};
    }
    used.push(file);
  }
  return {name: 'revocation', ok: true, detail: `not revoked (checked against ${[...new Set(used)].join(', ')})`};
}
