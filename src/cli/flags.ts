import {schemaFlags} from './schema-flags.js';
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

/** Flags of `dial codec encode|decode`: the codec and the schema type. */
/** dial codec encode|decode: the codec, the schema flags every schema command shares (src/cli/schema-flags.ts), the type. */
export const codecFlags = {
  codec: Flags.string({
    description: 'Wire format: protobuf, json, msgpack, thrift-binary, thrift-compact, avro, xml-rpc, java (decode only)',
    options: ['protobuf', 'json', 'msgpack', 'thrift-binary', 'thrift-compact', 'avro', 'xml-rpc', 'java'],
    required: true,
  }),
  ...schemaFlags,
  type: Flags.string({description: 'Message / struct / record name in the schema (xml-rpc: a method name makes a methodCall)'}),
};
