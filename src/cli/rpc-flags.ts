import {Flags} from '@oclif/core';
import {normalizeProtocol, PROTOCOL_ALIAS_NAMES} from '../rpc/protocol.js';
import {CALL_PROTOCOLS} from '../rpc/protocols/types.js';

/** The schema flags (--schema, --proto, -I, --protoset): one group, in src/cli/schema-flags.ts. */
export {schemaFlags} from './schema-flags.js';

/** -H for list and describe: metadata sent with the reflection requests. */
export const reflectionHeaderFlag = {
  header: Flags.string({char: 'H', description: "Metadata 'name: value' sent with the reflection requests (repeatable)", multiple: true, multipleNonGreedy: true}),
};

/**
 * `dial call --protocol`: dial's names plus the spellings `dial register
 * --protocol` stores (http, jsonrpc, xmlrpc) and grpcweb; the value is
 * always the canonical name (http -> rest, jsonrpc -> json-rpc ...).
 */
export const callProtocolFlag = Flags.string({
  description: 'Protocol to speak (default: from the instance\'s registry metadata, else grpc; an HTTP method as METHOD means rest; --schema FILE.thrift means thrift). http, jsonrpc, xmlrpc and grpcweb are accepted for rest, json-rpc, xml-rpc and grpc-web',
  options: [...CALL_PROTOCOLS, 'thrift', ...PROTOCOL_ALIAS_NAMES],
  env: 'DIAL_PROTOCOL',
  parse: async (input) => normalizeProtocol(input),
});

/** How to connect to a gRPC server (list, describe, call). */
export const connectionFlags = {
  plaintext: Flags.boolean({description: 'Plaintext HTTP/2 (the default for 127.0.0.1, localhost and unix sockets)', helpGroup: 'CONNECTION', exclusive: ['tls']}),
  tls: Flags.boolean({description: 'TLS (the default for other hosts, and when --cacert/--cert/--servername/--insecure is given)', helpGroup: 'CONNECTION'}),
  cacert: Flags.string({description: 'CA certificate (PEM) to verify the server with', helpGroup: 'CONNECTION'}),
  cert: Flags.string({description: 'Client certificate (PEM), for servers that want one', helpGroup: 'CONNECTION', dependsOn: ['key']}),
  key: Flags.string({description: 'Private key (PEM) of --cert', helpGroup: 'CONNECTION', dependsOn: ['cert']}),
  servername: Flags.string({description: 'Server name for SNI and certificate checks (default: the authority host)', helpGroup: 'CONNECTION'}),
  insecure: Flags.boolean({description: 'Skip verifying the server certificate', helpGroup: 'CONNECTION'}),
  unix: Flags.string({description: 'Connect over this unix socket (TARGET then only names the authority; or write TARGET as unix:PATH)', helpGroup: 'CONNECTION'}),
  authority: Flags.string({description: 'The :authority (Host) header to send', helpGroup: 'CONNECTION'}),
  'user-agent': Flags.string({description: 'The user-agent header to send', helpGroup: 'CONNECTION'}),
  'connect-timeout': Flags.string({description: 'Limit for DNS + TCP + TLS + HTTP/2 setup, e.g. 3s', default: '10s', helpGroup: 'CONNECTION'}),
};
