import {X509Certificate} from 'node:crypto';
import {ipVersion} from '../util/ip.js';
import {connect, type DetailedPeerCertificate} from 'node:tls';
import {DialError, ExitCode, unreachableError, usageError} from '../errors/index.js';
import {chainOrder, describeCertificate, type CertInfo} from './cert-info.js';
import {describeTlsFailure} from './handshake-errors.js';
import {readCertificates, readInput} from './pem.js';
import {verifyParsed} from './verify.js';
import {loadX509} from './x509.js';

export interface InspectRemoteOptions {
  /** SNI name (default: the host, when it is a name). */
  servername?: string;
  /** CA file to judge the presented chain against (default: node's public roots). */
  ca?: string;
  /** Client certificate and key to present (for servers that require one). */
  cert?: string;
  key?: string;
  timeoutMs?: number;
}

/** What `dial tls inspect HOST:PORT` returns. */
export interface InspectRemoteResult {
  address: string;
  servername?: string;
  protocol: string;
  cipher: {name: string; standardName?: string; version: string};
  alpn?: string;
  /** Whether the chain verifies against --ca (or public roots) and names the host. */
  trusted: boolean;
  trustError?: string;
  /** What the server did with our client certificate (TLS 1.3 servers say so only after the handshake). */
  clientCertificate: {sent: boolean; refused?: string};
  certificates: CertInfo[];
  chain: {inOrder: boolean; problems: string[]};
}

/** Judges the presented chain against --ca with dial's own verifier (node would mix the CA into the chain it reports). */
async function trustAgainst(caFile: string, certs: X509Certificate[], host: string): Promise<{trusted: boolean; trustError?: string}> {
  const v = await verifyParsed({leaf: certs[0], pool: certs.slice(1), anchors: readCertificates(caFile, 'CA file'), host, purpose: 'server'});
  return v.ok ? {trusted: true} : {trusted: false, trustError: v.reason};
}

function peerChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const out: X509Certificate[] = [];
  let cur: DetailedPeerCertificate | undefined = peer;
  while (cur?.raw && out.length < 12) {
    out.push(new X509Certificate(cur.raw));
    if (!cur.issuerCertificate || cur.issuerCertificate === cur || cur.issuerCertificate.fingerprint256 === cur.fingerprint256) break;
    cur = cur.issuerCertificate;
  }
  return out;
}

/** Connects with TLS, and reports the presented chain, the negotiated protocol and cipher, and trust. */
export async function inspectRemote(target: string, opts: InspectRemoteOptions = {}): Promise<InspectRemoteResult> {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:]+)):(\d{1,5})$/.exec(target);
  if (!m) throw usageError(`'${target}' is not HOST:PORT`, 'e.g. 127.0.0.1:8443 or example.com:443');
  const host = m[1] ?? m[2];
  const port = Number(m[3]);
  const servername = opts.servername ?? (ipVersion(host) ? undefined : host);
  const x = await loadX509();
  const timeoutMs = opts.timeoutMs ?? 5000;
  const sock = connect({
    host, port, servername, rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'],
    ...(opts.cert ? {cert: readInput(opts.cert, 'client certificate'), key: readInput(opts.key ?? opts.cert, 'client key')} : {}),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new DialError('TIMEOUT', `no TLS handshake with ${target} within ${timeoutMs}ms`, {exitCode: ExitCode.Unreachable})), timeoutMs);
      sock.once('secureConnect', () => (clearTimeout(timer), resolve()));
      sock.once('error', (e) => (clearTimeout(timer), reject(e)));
    });
  } catch (e) {
    sock.destroy();
    if (e instanceof DialError) throw e;
    const tls = describeTlsFailure(e, target);
    if (tls) throw new DialError(tls.code, tls.message, {hint: tls.hint, exitCode: ExitCode.Unreachable, cause: e});
    throw unreachableError(target, e, 'check the address and that a TLS server listens there');
  }
  const certs = peerChain(sock.getPeerCertificate(true));
  const cipher = sock.getCipher();
  const result: InspectRemoteResult = {
    address: target, ...(servername ? {servername} : {}),
    protocol: sock.getProtocol() ?? 'unknown',
    cipher: {name: cipher.name, ...(cipher.standardName ? {standardName: cipher.standardName} : {}), version: cipher.version},
    ...(sock.alpnProtocol ? {alpn: sock.alpnProtocol} : {}),
    ...(opts.ca ? await trustAgainst(opts.ca, certs, servername ?? host) : {trusted: sock.authorized, ...(sock.authorizationError ? {trustError: String(sock.authorizationError)} : {})}),
    clientCertificate: {sent: Boolean(opts.cert)},
    certificates: certs.map((c) => describeCertificate(x, c)),
    chain: chainOrder(certs),
  };
  // A TLS 1.3 server judges the client certificate after the handshake: wait briefly for its verdict.
  const refused = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 300);
    sock.once('error', (e) => (clearTimeout(timer), resolve(describeTlsFailure(e, target)?.message ?? (e as Error).message)));
    // node-based servers drop the connection without an alert when they reject a client certificate.
    sock.once('close', () => (clearTimeout(timer), resolve(opts.cert ? `${target} closed the connection right after the handshake: it did not accept the client certificate` : undefined)));
  });
  if (refused) result.clientCertificate.refused = refused;
  sock.destroy();
  return result;
}
