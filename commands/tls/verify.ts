import {Args, Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import {usageError, ExitCode} from '../../src/errors/index.js';
import type {Purpose, VerifyResult} from '../../src/tls/verify.js';

export default class TlsVerify extends DialCommand {
  static override summary = 'Verify a certificate: chain, signatures, validity, CA constraints, purpose, host name, revocation';
  static override description = `Builds the path from CERT (plus intermediates in CERT after the first certificate, and --intermediate) to a root given with --ca, and checks every signature, every validity period, that each issuer is a CA allowed to sign (basicConstraints, keyUsage, path length), the purpose (--purpose server|client, extendedKeyUsage), the host name or IP (--host, against subjectAltName only), and revocation (--crl: the leaf's issuer must have a CRL among them). Exit 0 when everything holds, 1 with the precise reason when not.`;
  static override examples = [
    {description: 'A server certificate for a host', command: '<%= config.bin %> tls verify ./certs/api-fullchain.pem --ca ./pki/root/ca.pem --host api.internal --purpose server'},
    {description: 'A client certificate, with an intermediate and a CRL', command: '<%= config.bin %> tls verify alice.pem --ca ./pki/root --intermediate ./pki/issuing/ca.pem --purpose client --crl ./pki/issuing/crl.pem'},
  ];
  static override args = {cert: Args.string({description: 'Certificate file (PEM or DER; more certificates after the first are intermediates)', required: true})};
  static override flags = {
    ca: Flags.string({description: 'Trusted root: a certificate file or a CA folder (repeatable)', multiple: true, required: true}),
    intermediate: Flags.string({description: 'Intermediate certificate file (repeatable)', multiple: true}),
    host: Flags.string({description: 'Host name or IP address the certificate must name'}),
    purpose: Flags.string({description: 'What the certificate must be usable for', options: ['server', 'client']}),
    crl: Flags.string({description: 'CRL file (repeatable)', multiple: true}),
    at: Flags.string({description: 'Verify as of this time (ISO 8601) instead of now'}),
  };

  async run(): Promise<VerifyResult> {
    const {args, flags} = await this.parse(TlsVerify);
    const at = flags.at === undefined ? undefined : new Date(flags.at);
    if (at && Number.isNaN(at.getTime())) throw usageError(`--at '${flags.at}' is not a date`, 'e.g. --at 2030-01-31T00:00:00Z');
    const {verifyCertificate} = await import('../../src/tls/verify.js');
    const r = await verifyCertificate({cert: args.cert, ca: flags.ca, intermediates: flags.intermediate, host: flags.host, purpose: flags.purpose as Purpose | undefined, crls: flags.crl, at});
    if (!this.jsonEnabled()) {
      const {renderVerify} = await import('../../src/cli/render/tls.js');
      this.out.line(renderVerify(this.out, r));
    }
    if (!r.ok) process.exitCode = ExitCode.Failed;
    return r;
  }
}
