import {Flags} from '@oclif/core';
import {join} from 'node:path';
import {DialCommand} from '../../src/cli/index.js';
import {caDirFlag} from '../../src/cli/tls-flags.js';
import {homePaths} from '../../src/config/index.js';
import type {CrlResult} from '../../src/tls/crl.js';

export default class TlsCrl extends DialCommand {
  static override summary = 'Write a fresh certificate revocation list (CRL) for a CA';
  static override description = `Signs a CRL (version 2, with CRL number and authority key identifier) listing every certificate revoked with 'dial tls revoke', valid for --days, into DIR/crl.pem (or --out). Publish it where verifiers can fetch it, and regenerate it before its next update.`;
  static override examples = [
    {description: 'The default CA\'s CRL, valid for a week', command: '<%= config.bin %> tls crl'},
    {description: 'A CRL for ./pki/issuing, valid for 30 days, written elsewhere', command: '<%= config.bin %> tls crl --ca ./pki/issuing --days 30 --out ./public/issuing.crl'},
  ];
  static override flags = {
    ca: caDirFlag(),
    days: Flags.integer({description: 'Days until the next update', default: 7, min: 1}),
    out: Flags.string({description: 'Output file (default: DIR/crl.pem)'}),
  };

  async run(): Promise<CrlResult> {
    const {flags} = await this.parse(TlsCrl);
    const {generateCrl} = await import('../../src/tls/crl.js');
    const r = await generateCrl({ca: flags.ca ?? join(homePaths(this.home).tlsDir, 'dial-ca'), days: flags.days, out: flags.out});
    if (!this.jsonEnabled()) {
      const {renderCrl} = await import('../../src/cli/render/tls.js');
      this.out.line(renderCrl(this.out, r));
    }
    return r;
  }
}
