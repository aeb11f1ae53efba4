import {Args, Flags} from '@oclif/core';
import {join} from 'node:path';
import {DialCommand} from '../../src/cli/index.js';
import {caDirFlag} from '../../src/cli/tls-flags.js';
import {homePaths} from '../../src/config/index.js';
import type {RevocationReason, RevokeResult} from '../../src/tls/crl.js';

export default class TlsRevoke extends DialCommand {
  static override summary = 'Revoke a certificate and write a fresh CRL';
  static override description = `Records the revocation of SERIAL (hex, colons allowed, as 'dial tls inspect' shows it; or a certificate file) in the CA folder and rewrites its CRL (DIR/crl.pem). A serial the CA has no record of issuing is refused unless --force. Check certificates against the CRL with 'dial tls verify --crl' or 'openssl verify -crl_check'.`;
  static override examples = [
    {description: 'Revoke by certificate file', command: '<%= config.bin %> tls revoke ./certs/alice.pem --reason keyCompromise'},
    {description: 'Revoke by serial, with a CA folder', command: '<%= config.bin %> tls revoke 5f:0c:9a:3e:77:21:b4:08:c1:2d:6e:90:aa:13:4f:e2 --ca ./pki/issuing'},
  ];
  static override args = {serial: Args.string({description: 'Serial number (hex) or certificate file', required: true})};
  static override flags = {
    ca: caDirFlag('Folder of the CA that issued the certificate (default: DIAL_HOME/tls/dial-ca)'),
    reason: Flags.string({description: 'Revocation reason', options: ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', 'privilegeWithdrawn'], default: 'unspecified'}),
    days: Flags.integer({description: 'Days until the CRL\'s next update', default: 7, min: 1}),
    force: Flags.boolean({description: 'Revoke a serial the CA has no record of'}),
  };

  async run(): Promise<RevokeResult> {
    const {args, flags} = await this.parse(TlsRevoke);
    const {revokeCertificate} = await import('../../src/tls/crl.js');
    const r = await revokeCertificate({ca: flags.ca ?? join(homePaths(this.home).tlsDir, 'dial-ca'), serial: args.serial, reason: flags.reason as RevocationReason, days: flags.days, force: flags.force});
    if (!this.jsonEnabled()) {
      const {renderCrl} = await import('../../src/cli/render/tls.js');
      this.out.line(renderCrl(this.out, r));
    }
    return r;
  }
}
