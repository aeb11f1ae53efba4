import {X509Certificate} from 'node:crypto';
import {DialError, ExitCode} from '../errors/index.js';
import {dn} from './cert-info.js';

/**
 * Says who refused a TLS connection and why, from the errors node and
 * OpenSSL raise: a TLS alert from the server means the *server* rejected us
 * (no client certificate, an unknown CA, ...); a certificate verification
 * code means *dial* rejected the server's certificate.
 */
export interface TlsFailure {
  /** Which side refused: the server (it sent an alert) or this client. */
  rejectedBy: 'server' | 'client' | 'protocol';
  code: string;
  message: string;
  hint: string;
}

const CLIENT_REJECTS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it was not issued by a CA dial trusts',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'it was not issued by a CA dial trusts',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is unknown',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends at a root dial does not trust',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed and not trusted',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  CERT_REVOKED: 'it was revoked',
  INVALID_PURPOSE: 'it is not meant for TLS servers (extendedKeyUsage)',
  CERT_SIGNATURE_FAILURE: 'its signature does not verify',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it does not name the host dial connected to',
};

const SERVER_ALERTS: [RegExp, string, string][] = [
  [/certificate required|CERTIFICATE_REQUIRED/i, 'CLIENT_CERT_REQUIRED', 'it requires a client certificate and none was sent'],
  [/unknown ca|UNKNOWN_CA/i, 'CLIENT_CERT_UNKNOWN_CA', 'it does not trust the client certificate (issued by a CA the server does not know)'],
  [/certificate expired|CERTIFICATE_EXPIRED/i, 'CLIENT_CERT_EXPIRED', 'the client certificate has expired'],
  [/certificate revoked|CERTIFICATE_REVOKED/i, 'CLIENT_CERT_REVOKED', 'the client certificate is revoked'],
  [/unsupported certificate|UNSUPPORTED_CERTIFICATE/i, 'CLIENT_CERT_UNSUPPORTED', 'the client certificate is not usable for TLS clients (extendedKeyUsage lacks clientAuth?)'],
  [/bad certificate|BAD_CERTIFICATE/i, 'CLIENT_CERT_REJECTED', 'it rejected the client certificate'],
  [/handshake failure|HANDSHAKE_FAILURE/i, 'TLS_HANDSHAKE_FAILURE', 'the TLS handshake failed (no client certificate, or no cipher in common)'],
];

function walk(e: unknown, depth = 0): {code?: string; message: string}[] {
  if (!e || typeof e !== 'object' || depth > 6) return [];
  const err = e as {code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[]};
  const here = {code: typeof err.code === 'string' ? err.code : undefined, message: typeof err.message === 'string' ? err.message : ''};
  return [here, ...(err.errors ?? []).flatMap((x) => walk(x, depth + 1)), ...walk(err.cause, depth + 1)];
}

/** Classifies a TLS failure talking to `peer` ("127.0.0.1:50051 (instance greeter-grpc-1)"); undefined when it is not one. */
export function describeTlsFailure(e: unknown, peer: string): TlsFailure | undefined {
  const all = walk(e);
  for (const {code} of all) {
    if (code && CLIENT_REJECTS[code]) {
      return {
        rejectedBy: 'client', code: 'SERVER_CERT_REJECTED',
        message: `dial rejected the certificate of ${peer}: ${CLIENT_REJECTS[code]} (${code})`,
        hint: "trust its CA (the cluster's is in cluster.json), or check the address; 'dial tls inspect HOST:PORT' shows the chain it presents",
      };
    }
  }
  for (const {code, message} of all) {
    const text = `${code ?? ''} ${message}`;
    for (const [re, c, why] of SERVER_ALERTS) {
      if (re.test(text)) {
        return {
          rejectedBy: 'server', code: c, message: `${peer} refused the TLS connection: ${why}`,
          hint: c === 'CLIENT_CERT_REQUIRED' ? 'present a client certificate issued by the CA the server trusts' : "present a client certificate from the CA the server trusts; 'dial tls verify CERT --ca ROOT --purpose client' checks one",
        };
      }
    }
    if (/wrong version number|WRONG_VERSION_NUMBER|packet length too long/i.test(text)) {
      return {rejectedBy: 'protocol', code: 'NOT_TLS', message: `${peer} does not speak TLS (it answered in plaintext)`, hint: 'drop the TLS options, or check the port'};
    }
  }
  return undefined;
}

/** Connection closed by the peer (as node, undici and HTTP/2 report it). */
const DROPPED_TEXT = /stream closed with error code (CANCEL|REFUSED_STREAM|INTERNAL_ERROR)|socket hang up|other side closed|session (was )?closed/i;
const DROPPED = new Set(['ECONNRESET', 'ERR_HTTP2_NO_SETTINGS', 'EPIPE', 'UND_ERR_SOCKET', 'ERR_HTTP2_SESSION_ERROR', 'ERR_HTTP2_STREAM_CANCEL', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_HTTP2_GOAWAY_SESSION']);

function firstCertificate(pem: Buffer | string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/**
 * A DialError (exit 3) saying who refused a TLS connection to `peer` and
 * why; undefined when the failure is not about TLS. `sent` is the client TLS
 * material dial used: node-based servers (grpc-js, https) drop a client whose
 * certificate they do not trust without a TLS alert, so a connection closed
 * right after the handshake is reported as that refusal, naming the
 * certificate.
 */
export function tlsConnectionError(e: unknown, peer: string, sent?: {cert?: Buffer | string}): DialError | undefined {
  // The call engine already explains failures of the handshake itself.
  if (walk(e).some((x) => x.code === 'TLS_HANDSHAKE_FAILED')) return undefined;
  const f = describeTlsFailure(e, peer);
  if (f) return new DialError(f.code, f.message, {hint: f.hint, exitCode: ExitCode.Unreachable, cause: e, details: {rejectedBy: f.rejectedBy}});
  const cert = sent?.cert ? firstCertificate(sent.cert) : undefined;
  const dropped = walk(e).some((x) => (x.code && DROPPED.has(x.code)) || DROPPED_TEXT.test(x.message));
  if (sent && !sent.cert && dropped) {
    // The server's alert may be lost when the connection closes first; without a certificate, that is what it said.
    return new DialError('CLIENT_CERT_REQUIRED', `${peer} refused the TLS connection: it requires a client certificate and none was sent`, {
      hint: 'present a client certificate issued by the CA the server trusts', exitCode: ExitCode.Unreachable, cause: e, details: {rejectedBy: 'server'},
    });
  }
  if (cert && dropped) {
    return new DialError('CLIENT_CERT_REJECTED', `${peer} closed the connection right after the TLS handshake: it did not accept the client certificate ${dn(cert.subject)} (issued by ${dn(cert.issuer)})`, {
      hint: "present a client certificate from the CA the server trusts (the local cluster's is in cluster.json); 'dial tls inspect HOST:PORT --cert FILE --key FILE' shows the server's verdict",
      exitCode: ExitCode.Unreachable, cause: e, details: {rejectedBy: 'server'},
    });
  }
  return undefined;
}
