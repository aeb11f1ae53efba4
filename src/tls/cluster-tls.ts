import {X509Certificate} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {ipVersion} from '../util/ip.js';
import {join} from 'node:path';
import {homePaths} from '../config/index.js';
import {createCa} from './ca.js';
import {issuedBy} from './cert-info.js';
import {caPaths, loadCa} from './ca-dir.js';
import {issueCertificate} from './issue.js';
import {keyMatchesCertificate, parsePrivateKey} from './keys.js';

/** The cluster's TLS material in DIAL_HOME/tls/cluster (what `dial cluster up --tls` passes on). */
export interface ClusterTls {
  dir: string;
  caFile: string;
  /** Certificate of the daemon and the instances: serverAuth and clientAuth, for localhost and the bind address. */
  certFile: string;
  keyFile: string;
  /** The CLI's client certificate (clientAuth only). */
  clientCertFile: string;
  clientKeyFile: string;
  /** What had to be made this time (empty: everything was reused). */
  created: ('ca' | 'node' | 'client')[];
}

const MIN_DAYS_LEFT = 7;

function usable(certFile: string, keyFile: string, ca: X509Certificate, host?: string): boolean {
  if (!existsSync(certFile) || !existsSync(keyFile)) return false;
  try {
    const cert = new X509Certificate(readFileSync(certFile));
    if (!keyMatchesCertificate(parsePrivateKey(readFileSync(keyFile), keyFile), cert)) return false;
    if (!issuedBy(cert, ca)) return false;
    if (Date.parse(cert.validTo) - Date.now() < MIN_DAYS_LEFT * 86_400_000) return false;
    if (host) return Boolean(ipVersion(host) ? cert.checkIP(host) : cert.checkHost(host, {subject: 'never'}));
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates, or reuses when still good, the cluster CA and certificates:
 * a CA, one certificate for the daemon and every instance (server and
 * client use), and a client certificate for the CLI. Keys are 0600.
 */
export async function ensureClusterTls(home: string, host = '127.0.0.1'): Promise<ClusterTls> {
  const dir = join(homePaths(home).tlsDir, 'cluster');
  const caDir = join(dir, 'ca');
  const files = {
    dir, caFile: caPaths(caDir).cert,
    certFile: join(dir, 'node.pem'), keyFile: join(dir, 'node-key.pem'),
    clientCertFile: join(dir, 'cli.pem'), clientKeyFile: join(dir, 'cli-key.pem'),
  };
  const created: ClusterTls['created'] = [];
  let ca = await loadCa(caDir).catch(() => undefined);
  if (!ca || Date.parse(ca.cert.validTo) - Date.now() < 30 * 86_400_000) {
    await createCa({name: 'dial cluster CA', out: caDir, force: true});
    ca = await loadCa(caDir);
    created.push('ca');
  }
  const bindHost = host === '0.0.0.0' || host === '::' ? undefined : host;
  if (!usable(files.certFile, files.keyFile, ca.cert, bindHost ?? '127.0.0.1')) {
    const extra = bindHost && !['127.0.0.1', '::1', 'localhost'].includes(bindHost) ? [bindHost] : [];
    await issueCertificate({
      name: 'node', ca: caDir, out: dir, profile: 'both', cn: 'dial cluster node', force: true,
      dns: ['localhost', ...extra.filter((h) => !ipVersion(h))], ip: ['127.0.0.1', '::1', ...extra.filter((h) => ipVersion(h))],
    });
    created.push('node');
  }
  if (!usable(files.clientCertFile, files.clientKeyFile, ca.cert)) {
    await issueCertificate({name: 'cli', ca: caDir, out: dir, profile: 'client', cn: 'dial cli', force: true});
    created.push('client');
  }
  return {...files, created};
}
