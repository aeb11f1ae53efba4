import {Flags} from '@oclif/core';

/** Flags every dial command has. */
export const globalFlags = {
  'no-color': Flags.boolean({description: 'Disable colors (also NO_COLOR=1)', helpGroup: 'GLOBAL'}),
  'no-input': Flags.boolean({description: 'Never prompt; a missing value is a usage error (also CI=true)', helpGroup: 'GLOBAL'}),
};

/** Flags of commands that talk to a registry. */
export const registryFlags = {
  registry: Flags.string({
    description: 'Registry URL: dial://HOST:PORT (default: the local cluster from DIAL_HOME), consul://HOST:PORT, etcd://HOST:PORT[,HOST:PORT], zk://HOST:PORT',
    env: 'DIAL_REGISTRY',
    helpGroup: 'REGISTRY',
  }),
  token: Flags.string({
    description: 'ACL token for the registry (sent as X-Consul-Token)',
    env: 'DIAL_TOKEN',
    helpGroup: 'REGISTRY',
  }),
};
