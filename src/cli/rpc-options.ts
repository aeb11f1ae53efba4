import {readFileSync} from 'node:fs';
import {usageError} from '../errors/index.js';
import type {SchemaFiles, TlsOptions, TransportOptions} from '../rpc/index.js';
import {parseDurationFlag} from '../util/index.js';

import {rpcSchemaFiles, type SchemaFlagValues} from './schema-selection.js';

export type {SchemaFlagValues} from './schema-flags.js';

/** The values of the schema and connection flags (src/cli/rpc-flags.ts, schema-flags.ts) turned into options of the rpc layer. */
export type ConnectionFlagValues = {
  plaintext?: boolean; tls?: boolean; cacert?: string; cert?: string; key?: string; servername?: string; insecure?: boolean;
  unix?: string; authority?: string; 'user-agent'?: string; 'connect-timeout'?: string;
};

/** The schema files of call, list and describe; `protocol` (when known) refuses what it cannot use (src/cli/schema-flags.ts). */
export function schemaFiles(f: SchemaFlagValues, command = 'call', protocol?: string): SchemaFiles | undefined {
  return rpcSchemaFiles(f, command, protocol);
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
  const looksLikeName = (s: string) => !/^unix:|:\d+$|^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s) && /[A-Z.]/.test(s);
  const [target, name] = schema && second === undefined && first !== undefined && looksLikeName(first) ? [undefined, first] : [first, second];
  if (target === undefined && !schema && !unix) throw usageError('give TARGET (a service name, HOST:PORT or URL), or --proto/--schema/--protoset');
  return {target, name};
}
