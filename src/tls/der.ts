/**
 * The few DER (X.690) encodings an X.509 certificate is made of, and a reader
 * of TLV boundaries. `dial tls init` and `tls issue` build certificates with
 * these and node:crypto's sign (src/tls/cert-builder.ts): loading and running
 * @peculiar/x509 with its ASN.1 stack cost more than half of a `tls init`
 * process (issue 19), and building a certificate needs only this much.
 * Parsing arbitrary ASN.1 (CSRs, CRLs, inspect) stays with @peculiar/x509.
 */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV: tag byte, DER length, contents. */
export function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

export const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
export const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
export const octets = (b: Buffer): Buffer => tlv(0x04, b);
export const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
export const nul = (): Buffer => Buffer.from([0x05, 0]);
/** A BIT STRING of whole bytes (no unused bits). */
export const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.from([0]), b);
/** [n] EXPLICIT (constructed) or IMPLICIT primitive context tag. */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
export const implicit = (n: number, contents: Buffer): Buffer => tlv(0x80 | n, contents);
export const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
export const printable = (s: string): Buffer => tlv(0x13, Buffer.from(s, 'latin1'));
export const ia5 = (s: string): Buffer => tlv(0x16, Buffer.from(s, 'latin1'));

/** A non-negative INTEGER from big-endian magnitude bytes (or a small number). */
export function int(v: Buffer | number): Buffer {
  const hex = typeof v === 'number' ? v.toString(16) : '';
  let b = typeof v === 'number' ? Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex') : v;
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && b[i + 1] < 0x80) i++;
  b = b.subarray(i);
  return tlv(0x02, b[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const groups: number[] = [];
    for (let v = n; ; v = Math.floor(v / 128)) {
      groups.unshift(v % 128);
      if (v < 128) break;
    }
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5), whole seconds. */
export function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:T]/g, '');
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'latin1')) : tlv(0x18, Buffer.from(iso, 'latin1'));
}

/** One element read from DER: its tag, where its contents start and where it ends. */
export interface Element {
  tag: number;
  start: number;
  end: number;
  /** The whole TLV (from its tag byte). */
  raw: Buffer;
  contents: Buffer;
}

/** The element at `offset` of `der`. */
export function read(der: Buffer, offset = 0): Element {
  const tag = der[offset];
  let len = der[offset + 1];
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i];
    start += n;
  }
  const end = start + len;
  if (tag === undefined || end > der.length) throw new Error('truncated DER');
  return {tag, start, end, raw: der.subarray(offset, end), contents: der.subarray(start, end)};
}

/** The elements inside a constructed element. */
export function children(el: Element): Element[] {
  const out: Element[] = [];
  for (let at = 0; at < el.contents.length;) {
    const c = read(el.contents, at);
    out.push(c);
    at = c.end;
  }
  return out;
}

/** The dotted form of an OBJECT IDENTIFIER element. */
export function oidText(el: Element): string {
  const b = el.contents;
  const out = [Math.floor(b[0] / 40), b[0] % 40];
  let v = 0;
  for (const x of b.subarray(1)) {
    v = v * 128 + (x & 0x7f);
    if (!(x & 0x80)) {
      out.push(v);
      v = 0;
    }
  }
  return out.join('.');
}
