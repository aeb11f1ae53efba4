import {Flags} from '@oclif/core';
import {join} from 'node:path';
import {DialCommand} from '../../../src/cli/index.js';
import {forceFlag, keyTypeFlag, validityFlags} from '../../../src/cli/tls-flags.js';
import {homePaths} from '../../../src/config/index.js';
import type {CaResult} from '../../../src/tls/ca.js';
import {slug} from '../../../src/tls/files.js';
import type {KeyType} from '../../../src/tls/key-types.js';

export default class TlsCaCreate extends DialCommand {
  static override summary = 'Create a root certificate authority (self-signed CA)';
  static override description = `Writes ca.pem, ca-key.pem (PKCS#8, mode 0600), ca-chain.pem and ca.json (its record of issued and revoked serials) into --out, by default DIAL_HOME/tls/<name>. The certificate has basicConstraints CA:TRUE and keyUsage keyCertSign, cRLSign; --path-len limits how many intermediate CAs may follow it. Refuses to overwrite an existing CA without --force.`;
  static override examples = [
    {description: 'The default CA (ECDSA P-256, 10 years) in DIAL_HOME/tls/dial-ca', command: '<%= config.bin %> tls ca create'},
    {description: 'An RSA root that allows one level of intermediates, into ./pki/root', command: '<%= config.bin %> tls ca create --name "Acme Root CA" --key rsa-3072 --days 3650 --path-len 1 --out ./pki/root'},
  ];
  static override flags = {
    name: Flags.string({description: 'CA name (its CN)', default: 'dial CA'}),
    key: keyTypeFlag,
    ...validityFlags,
    'path-len': Flags.integer({description: 'Max number of intermediate CAs below this one (default: no limit)', min: 0}),
    out: Flags.string({description: 'Folder to write into (default: DIAL_HOME/tls/<slug of --name>)'}),
    force: forceFlag,
  };

  async run(): Promise<CaResult> {
    const {flags} = await this.parse(TlsCaCreate);
    const {createCa} = await import('../../../src/tls/ca.js');
    const r = await createCa({
      name: flags.name, out: flags.out ?? join(homePaths(this.home).tlsDir, slug(flags.name)), keyType: flags.key as KeyType | undefined,
      days: flags.days, notAfter: flags['not-after'], pathLen: flags['path-len'], force: flags.force,
    });
    if (!this.jsonEnabled()) {
      const {renderCaResult} = await import('../../../src/cli/render/tls.js');
      this.out.line(renderCaResult(this.out, r));
    }
    return r;
  }
}
