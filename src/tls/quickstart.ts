import {join} from 'node:path';
import {createCa, type CaResult} from './ca.js';
import {issueCertificate, type IssueResult} from './issue.js';
import type {KeyType} from './key-types.js';

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
  const ca = await createCa({name: opts.caName ?? 'dial CA', out: caDir, keyType: opts.keyType, force: opts.force});
  const noNames = !opts.dns?.length && !opts.ip?.length;
  const server = await issueCertificate({
    name: 'server', ca: caDir, out: opts.out, profile: 'server', keyType: opts.keyType, force: opts.force, cn: opts.dns?.[0] ?? 'localhost',
    dns: noNames ? ['localhost'] : opts.dns, ip: noNames ? ['127.0.0.1', '::1'] : opts.ip,
  });
  const client = await issueCertificate({name: 'client', ca: caDir, out: opts.out, profile: 'client', keyType: opts.keyType, force: opts.force, cn: opts.clientName ?? 'client'});
  return {ca, server, client};
}
