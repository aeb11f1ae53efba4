import {Args, Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import {forceFlag} from '../../src/cli/tls-flags.js';
import type {ExportResult} from '../../src/tls/export.js';

export default class TlsExport extends DialCommand {
  static override summary = 'Export a certificate, its chain and its key as a PKCS#12 (.p12) bundle';
  static override description = `Bundles CERT (with the intermediates of NAME-fullchain.pem when it sits beside it) and its private key (default NAME-key.pem beside CERT) into a PKCS#12 file for Java keystores, browsers and Windows: the key is encrypted with PBES2 (AES-256-CBC, PBKDF2-SHA-256), the certificates with AES-256-CBC, and the file carries an HMAC-SHA-256 integrity check. The bundle is written 0600; without --password it uses an empty password.`;
  static override examples = [
    {description: 'Bundle a certificate issued by dial, with a password', command: '<%= config.bin %> tls export ./certs/api.pem --p12 --password changeit'},
    {description: 'Name the key and the output', command: '<%= config.bin %> tls export server.pem --key server.key --p12 --out server.p12 --password changeit'},
  ];
  static override args = {cert: Args.string({description: 'Certificate (or full chain) PEM file', required: true})};
  static override flags = {
    p12: Flags.boolean({description: 'Write PKCS#12 (the only export format)', required: true}),
    key: Flags.string({description: 'Private key file (default: NAME-key.pem beside CERT)'}),
    out: Flags.string({description: 'Output file (default: NAME.p12 beside CERT)'}),
    password: Flags.string({description: 'Bundle password (default: empty)', env: 'DIAL_P12_PASSWORD'}),
    force: forceFlag,
  };

  async run(): Promise<ExportResult> {
    const {args, flags} = await this.parse(TlsExport);
    const {exportPkcs12} = await import('../../src/tls/export.js');
    const r = await exportPkcs12({cert: args.cert, key: flags.key, out: flags.out, password: flags.password, force: flags.force});
    if (!this.jsonEnabled()) this.out.line(`${this.out.color.green('wrote')} ${r.file}  (PKCS#12: ${r.subject}, ${r.certificates} certificate(s) and the key from ${r.key}${r.passwordProtected ? '' : '; empty password'})`);
    return r;
  }
}
