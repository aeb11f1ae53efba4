import {readFileSync} from 'node:fs';
import {Flags} from '@oclif/core';
import {usageError} from '../errors/index.js';
import type {SchemaFiles, TlsOptions, TransportOptions} from '../rpc/index.js';
import {normalizeProtocol, PROTOCOL_ALIAS_NAMES} from '../rpc/protocol.js';
import {CALL_PROTOCOLS} from '../rpc/protocols/types.js';
import {parseDurationFlag} from '../util/index.js';

/** Where schemas come from when not from server reflection (list, describe, call). */
export const schemaFlags = {
  proto: Flags.string({description: 'Schema from a .proto file instead of server reflection (repeatable)', multiple: true, multipleNonGreedy: true, helpGroup: 'SCHEMA'}),
  'import-path': Flags.string({char: 'I', description: 'Folder that --proto imports are relative to (repeatable; default: the file\'s folder and .)', multiple: true, multipleNonGreedy: true, helpGroup: 'SCHEMA'}),
  protoset: Flags.string({description: 'Schema from a FileDescriptorSet file (protoc --descriptor_set_out --include_imports) (repeatable)', multiple: true, multipleNonGreedy: true, helpGroup: 'SCHEMA'}),
};

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
  description: 'Protocol to speak (default: from the instance\'s registry metadata, else grpc; an HTTP method as METHOD means rest). http, jsonrpc, xmlrpc and grpcweb are accepted for rest, json-rpc, xml-rpc and grpc-web',
  options: [...CALL_PROTOCOLS, ...PROTOCOL_ALIAS_NAMES],
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

export type SchemaFlagValues = {proto?: string[]; 'import-path'?: string[]; protoset?: string[]};
export type ConnectionFlagValues = {
  plaintext?: boolean; tls?: boolean; cacert?: string; cert?: string; key?: string; servername?: string; insecure?: boolean;
  unix?: string; authority?: string; 'user-agent'?: string; 'connect-timeout'?: string;
};

export function schemaFiles(f: SchemaFlagValues): SchemaFiles | undefined {
  if (!f.proto?.length && !f.protoset?.length) {
    if (f['import-path']?.length) throw usageError('--import-path applies to --proto files, and none was given', 'add --proto FILE');
    return undefined;
  }
  return {protoFiles: f.proto, importPaths: f['import-path'], protosets: f.protoset};
}

function readPem(flag: string, file: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (e) {
    throw usageError(`cannot read --${flag} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  // Node ignores a CA file that holds no PEM block, and the call then fails certificate verification: say so up front.
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(pem.toString('latin1'))) {
    throw usageError(`--${flag} ${file} is not a PEM file (no -----BEGIN ...----- block)`, 'convert a DER file with: openssl x509 -inform der -in FILE -out FILE.pem (a key: openssl pkey -inform der ...)');
  }
  return pem;
}

/** Connection flags -> transport options (reads the PEM files). */
export function transportOptions(f: ConnectionFlagValues, defaultUserAgent?: string): TransportOptions {
  const wantsTls = Boolean(f.cacert || f.cert || f.servername || f.insecure);
  if (f.plaintext && wantsTls) throw usageError('--plaintext cannot go with TLS flags (--cacert, --cert, --servername, --insecure)');
  const tls: TlsOptions | undefined = f.tls || wantsTls
    ? {
        ca: f.cacert ? readPem('cacert', f.cacert) : undefined,
        cert: f.cert ? readPem('cert', f.cert) : undefined,
        key: f.key ? readPem('key', f.key) : undefined,
        servername: f.servername,
        insecure: f.insecure,
      }
    : undefined;
  return {
    tls,
    security: f.plaintext ? 'plaintext' : tls ? 'tls' : 'auto',
    authority: f.authority,
    userAgent: f['user-agent'] ?? defaultUserAgent,
    connectTimeoutMs: f['connect-timeout'] ? parseDurationFlag('connect-timeout', f['connect-timeout']) : undefined,
  };
}

/**
 * list/describe take [TARGET] [NAME]. With schema files TARGET may be left
 * out: then a single argument that looks like a proto name (has a dot or a
 * capital, and is not HOST:PORT or unix:PATH) is the NAME.
 */
export function targetAndName(first: string | undefined, second: string | undefined, schema: SchemaFiles | undefined, unix?: string): {target?: string; name?: string} {
  const looksLikeName = (s: string) => !/^unix:|:\d+$/.test(s) && /[A-Z.]/.test(s);
  const [target, name] = schema && second === undefined && first !== undefined && looksLikeName(first) ? [undefined, first] : [first, second];
  if (target === undefined && !schema && !unix) throw usageError('give TARGET (a service name or HOST:PORT), or --proto/--protoset');
  return {target, name};
}
