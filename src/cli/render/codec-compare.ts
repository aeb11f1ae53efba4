import type {CompareResult} from '../../codecs/index.js';
import type {Output} from '../output.js';

/** The `dial codec compare` table: size, size relative to JSON, mean encode and decode time. */
export function renderCompare(out: Output, r: CompareResult): string {
  const us = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
  return out.table(
    ['CODEC', 'TYPE', 'BYTES', 'VS JSON', 'ENCODE µs', 'DECODE µs'],
    r.rows.map((row) => [row.codec, row.type ?? '-', row.bytes, `${Math.round(row.vsJson * 100)}%`, us(row.encodeUs), us(row.decodeUs)]),
  );
}
