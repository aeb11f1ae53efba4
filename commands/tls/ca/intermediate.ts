import {Flags} from '@oclif/core';
import {join} from 'node:path';
import {DialCommand} from '../../../src/cli/index.js';
import {caDirFlag, forceFlag, keyTypeFlag, validityFlags} from '../../../src/cli/tls-flags.js';
import {homePaths} from '../../../src/config/index.js';
import type {CaResult} from '../../../src/tls/ca.js';
import {slug} from '../../../src/tls/files.js';
import type {KeyType} from '../../../src/tls/key-types.js';

export default class TlsCaIntermediate extends DialCommand {
  static override summary = 'Create an intermediate CA signed by another CA';
  static override description = `Signs a new CA with the CA in --ca. Its path length constraint defaults to 0 (it signs leaf certificates only) and can never exceed what the parent allows (the parent's pathLen minus one); a parent with pathLen 0 cannot have intermediates. Writes ca.pem, ca-key.pem (0600), ca-chain.pem (this CA and its parents), root.pem (the root to trust) and ca.json.`;
  static override examples = [
    {description: 'An intermediate under the default CA', command: '<%= config.bin %> tls ca intermediate --name "dial issuing CA"'},
    {description: 'An intermediate of ./pki/root that may itself have one intermediate below it', command: '<%= config.bin %> tls ca intermediate --ca ./pki/root --name "Acme Issuing CA" --path-len 1 --out ./pki/issuing'},
  ];
  static override flags = {
    ca: caDirFlag('Folder of the parent CA (default: DIAL_HOME/tls/dial-ca)'),
    name: Flags.string({description: 'Intermediate CA name (its CN)', default: 'dial intermediate CA'}),
    key: keyTypeFlag,
    ...validityFlags,
    'path-len': Flags.integer({description: 'Max number of intermediate CAs below this one (default 0)', min: 0}),
    out: Flags.string({description: 'Folder to write into (default: DIAL_HOME/tls/<slug of --name>)'}),
    force: forceFlag,
  };

  async run(): Promise<CaResult> {
    const {flags} = await this.parse(TlsCaIntermediate);
    const {createIntermediate} = await import('../../../src/tls/ca.js');
    const tlsDir = homePaths(this.home).tlsDir;
    const r = await createIntermediate({
      parent: flags.ca ?? join(tlsDir, 'dial-ca'), name: flags.name, out: flags.out ?? join(tlsDir, slug(flags.name)),
      keyType: flags.key as KeyType | undefined, days: flags.days, notAfter: flags['not-after'], pathLen: flags['path-len'], force: flags.force,
    });
    if (!this.jsonEnabled()) {
      const {renderCaResult} = await import('../../../src/cli/render/tls.js');
      this.out.line(renderCaResult(this.out, r));
    }
    return r;
  }
}
