import {join} from 'node:path';
import {createRootCa, type CaResult} from './ca.js';
import {issueCertificate, type IssueResult} from './issue.js';
import {DEFAULT_KEY_TYPE, type KeyType} from './key-types.js';
import {generateKeyPair} from './keys.js';

export interface TlsInitOptions {
  out: string;
  keyType?: KeyType;
  caName?: string;
  /** Names of the server certificate (default localhost, 127.0.0.1, ::1). */
  dns?: string[];
  ip?: string[];
  clientName?: string;
  force?: boolean;
}

/** What `dial tls init` returns: a CA, a server and a client certificate, ready for mutual TLS. */
export interface TlsInitResult {
  ca: CaResult;
  server: IssueResult;
  client: IssueResult;
}

/** One step to mutual TLS: a root CA in OUT/ca, a server certificate and a client certificate in OUT. */
export async function tlsInit(opts: TlsInitOptions): Promise<TlsInitResult> {
  const caDir = join(opts.out, 'ca');
  // Three keys at once: RSA key generation runs on libuv's thread pool. The CA signs from
  // memory, as loadCa would read it back (nothing to read, parse and check again).
  const [{result: ca, loaded: loadedCa}, serverKeys, clientKeys] = await Promise.all([
    createRootCa({name: opts.caName ?? 'dial CA', out: caDir, keyType: opts.keyType, force: opts.force}),
    generateKeyPair(opts.keyType ?? DEFAULT_KEY_TYPE),
    generateKeyPair(opts.keyType ?? DEFAULT_KEY_TYPE),
  ]);
  const noNames = !opts.dns?.length && !opts.ip?.length;
  const server = await issueCertificate({
    name: 'server', ca: caDir, out: opts.out, profile: 'server', keyType: opts.keyType, keyPair: serverKeys, loadedCa, force: opts.force, cn: opts.dns?.[0] ?? 'localhost',
    dns: noNames ? ['localhost'] : opts.dns, ip: noNames ? ['127.0.0.1', '::1'] : opts.ip,
  });
  const client = await issueCertificate({name: 'client', ca: caDir, out: opts.out, profile: 'client', keyType: opts.keyType, keyPair: clientKeys, loadedCa, force: opts.force, cn: opts.clientName ?? 'client'});
  return {ca, server, client};
}
