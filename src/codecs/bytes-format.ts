import {usageError} from '../errors/index.js';

export type BytesFormat = 'hex' | 'base64' | 'raw';
export const BYTES_FORMATS: readonly BytesFormat[] = ['hex', 'base64', 'raw'];

/** Bytes as hex (lower case, no spaces), base64, or themselves. */
export function formatBytes(bytes: Uint8Array, format: BytesFormat): string | Uint8Array {
  if (format === 'hex') return Buffer.from(bytes).toString('hex');
  if (format === 'base64') return Buffer.from(bytes).toString('base64');
  return bytes;
}

/** Reads bytes written as hex (spaces, colons and 0x allowed), base64, or raw. */
export function parseBytes(input: Buffer, format: BytesFormat): Uint8Array {
  if (format === 'raw') return input;
  const text = input.toString('utf8').trim();
  if (format === 'hex') {
    const hex = text.replace(/0x/gi, '').replace(/[\s:]/g, '');
    if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2) throw usageError('the input is not hex (pairs of 0-9a-f)', 'give --in base64 or --in raw for other input');
    return Buffer.from(hex, 'hex');
  }
  const b64 = text.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(b64)) throw usageError('the input is not base64', 'give --in hex or --in raw for other input');
  return Buffer.from(b64, b64.includes('-') || b64.includes('_') ? 'base64url' : 'base64');
}
