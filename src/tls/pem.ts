import {X509Certificate} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {DialError, ExitCode} from '../errors/index.js';

/** One PEM block (or a whole DER file, type undefined). */
export interface PemBlock {
  /** The label after BEGIN ("CERTIFICATE", "PRIVATE KEY", ...); undefined for raw DER input. */
  type?: string;
  der: Buffer;
  /** 1-based position in the file, for error messages. */
  index: number;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

export function badInput(code: string, message: string, hint?: string): DialError {
  return new DialError(code, message, {hint, exitCode: ExitCode.Usage});
}

/** Reads a file for dial's TLS commands, with a clear error when it cannot. */
export function readInput(file: string, what = 'file'): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    throw badInput('FILE_UNREADABLE', `cannot read ${what} ${file} (${why})`, 'check the path');
  }
}

/** True when the bytes look like PEM text rather than DER. */
export function isPem(data: Buffer): boolean {
  return data.subarray(0, 4096).toString('latin1').includes('-----BEGIN ');
}

/**
 * Splits PEM text into blocks; a buffer without PEM armor is taken as one DER
 * block. Corrupt armor or base64 is a usage error naming the file and block.
 */
export function parsePem(data: Buffer, source: string): PemBlock[] {
  if (!isPem(data)) {
    if (data.length === 0) throw badInput('BAD_PEM', `${source} is empty`);
    if (data[0] !== 0x30) throw badInput('BAD_PEM', `${source} is neither PEM nor DER (no "-----BEGIN" line, and it does not start with an ASN.1 SEQUENCE)`, 'pass a PEM or DER certificate, key, CSR or CRL');
    return [{der: data, index: 1}];
  }
  const text = data.toString('utf8');
  const blocks: PemBlock[] = [];
  let m: RegExpExecArray | null;
  BLOCK.lastIndex = 0;
  while ((m = BLOCK.exec(text))) {
    const index = blocks.length + 1;
    if (m[1] !== m[3]) throw badInput('BAD_PEM', `${source}: PEM block ${index} begins as "${m[1]}" but ends as "${m[3]}"`);
    const body = m[2].split(/\r?\n/).filter((l) => !/^[A-Za-z-]+:/.test(l)).join('');
    if (!BASE64.test(body)) throw badInput('BAD_PEM', `${source}: PEM block ${index} (${m[1]}) has characters that are not base64`, 'the file is corrupt; issue or export it again');
    const der = Buffer.from(body, 'base64');
    if (der.length === 0 || der[0] !== 0x30) throw badInput('BAD_PEM', `${source}: PEM block ${index} (${m[1]}) does not decode to DER`, 'the file is corrupt; issue or export it again');
    blocks.push({type: m[1], der, index});
  }
  const begins = (text.match(/-----BEGIN /g) ?? []).length;
  if (begins !== blocks.length) {
    throw badInput('BAD_PEM', `${source}: ${begins - blocks.length} of ${begins} PEM block(s) are truncated or malformed (no matching END line)`, 'the file is corrupt; issue or export it again');
  }
  return blocks;
}

export function toPem(type: string, der: Buffer | ArrayBuffer): string {
  const b64 = Buffer.from(der as ArrayBuffer).toString('base64');
  return `-----BEGIN ${type}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${type}-----\n`;
}

const CERT_TYPES = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

/** Parses a certificate block with node's X509Certificate; a corrupt one is a usage error. */
export function parseCertificateBlock(block: PemBlock, source: string): X509Certificate {
  try {
    return new X509Certificate(block.der);
  } catch (e) {
    throw badInput('BAD_CERTIFICATE', `${source}: block ${block.index}${block.type ? ` (${block.type})` : ''} is not a valid X.509 certificate (${(e as Error).message})`, 'the file is corrupt or not a certificate');
  }
}

/** Every certificate in a PEM or DER file, in file order; at least one. */
export function readCertificates(file: string, what = 'certificate file'): X509Certificate[] {
  const blocks = parsePem(readInput(file, what), file);
  const certs = blocks.filter((b) => b.type === undefined || CERT_TYPES.has(b.type)).map((b) => parseCertificateBlock(b, file));
  if (certs.length === 0) {
    const found = blocks.map((b) => b.type).join(', ');
    throw badInput('NO_CERTIFICATE', `${file} holds no certificate${found ? ` (it has: ${found})` : ''}`, 'pass a file with a "BEGIN CERTIFICATE" block');
  }
  return certs;
}

export function isCertificateBlock(b: PemBlock): boolean {
  return b.type !== undefined && CERT_TYPES.has(b.type);
}
