import {readFileSync} from 'node:fs';
import {usageError} from '../errors/index.js';
import type {SchemaFiles, TlsOptions, TransportOptions} from '../rpc/index.js';
import {parseDurationFlag} from '../util/index.js';

/** The values of the schema and connection flags (src/cli/rpc-flags.ts) turned into options of the rpc layer. */
export type SchemaFlagValues = {proto?: string[]; 'import-path'?: string[]; protoset?: string[]; schema?: string};
export type ConnectionFlagValues = {
  plaintext?: boolean; tls?: boolean; cacert?: string; cert?: string; key?: string; servername?: string; insecure?: boolean;
  unix?: string; authority?: string; 'user-agent'?: string; 'connect-timeout'?: string;
};

export function schemaFiles(f: SchemaFlagValues): SchemaFiles | undefined {
  if (!f.proto?.length && !f.protoset?.length) {
    if (f['import-path']?.length && !f.schema) throw usageError('--import-path applies to --proto files, and none was given', 'add --proto FILE');
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
