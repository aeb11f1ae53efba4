import type {Output} from './output.js';

/**
 * Writes response messages as they arrive: pretty JSON through `out`, or NDJSON
 * lines batched per event-loop turn (a write per message would cost more than
 * the message for long streams).
 */
export function messagePrinter(out: Output, ndjson: boolean): {write: (m: unknown) => void; flush: () => void} {
  const text = (m: unknown) => (typeof m === 'string' ? m : JSON.stringify(m, null, ndjson ? undefined : 2));
  if (!ndjson) return {write: (m: unknown) => out.line(text(m)), flush: () => undefined};
  let buf = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (buf) process.stdout.write(buf);
    buf = '';
  };
  return {
    write: (m: unknown) => {
      buf += text(m) + '\n';
      if (buf.length > 1 << 16) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
