import {Flags} from '@oclif/core';

/** Flags shared by the `dial tls` commands that create certificates. */
export const keyTypeFlag = Flags.string({
  description: 'Key type: ecdsa-p256 (default), ecdsa-p384, rsa-2048, rsa-3072, rsa-4096, ed25519',
  options: ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096', 'ed25519'],
});

export const validityFlags = {
  days: Flags.integer({description: 'Days of validity (default: 365 for leaves, 3650 for roots, 1825 for intermediates)', min: 1, exclusive: ['not-after']}),
  'not-after': Flags.string({description: 'Last day of validity, ISO 8601 (e.g. 2030-01-31 or 2030-01-31T12:00:00Z)', exclusive: ['days']}),
};

export const forceFlag = Flags.boolean({description: 'Overwrite existing files'});

export const caDirFlag = (description = 'CA folder (default: DIAL_HOME/tls/dial-ca, made by `dial tls ca create`)') => Flags.string({description, env: 'DIAL_TLS_CA_DIR'});
