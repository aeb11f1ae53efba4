import type {AnyCallOutcome} from '../../rpc/index.js';
import type {Output} from '../output.js';

/** The -v view of a call: where it went, headers, trailers, status, timing. */
export function renderCallDetails(out: Output, o: AnyCallOutcome): string {
  const c = out.errColor;
  const kv = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `  ${k}: ${v}`).join('\n') || '  (none)';
  const t = o.timing;
  return [
    `${c.bold('Target:')} ${o.target}${o.via ? ` (service ${o.via.service}, instance ${o.via.instance}, from ${o.via.registry})` : ''}`,
    `${c.bold('Method:')} ${o.method} (${o.kind})`,
    ...('http' in o ? [`${c.bold('Protocol:')} ${o.protocol} (${o.codec}), ${o.http.method} ${o.http.url} -> HTTP ${o.http.status} ${o.http.statusText}`] : []),
    `${c.bold('Request metadata:')}\n${kv(o.requestHeaders)}`,
    `${c.bold('Response headers:')}\n${kv(o.responseHeaders)}`,
    `${c.bold('Response trailers:')}\n${kv(o.trailers)}`,
    `${c.bold('Status:')} ${o.status.code} ${o.status.name}${o.status.message ? `: ${o.status.message}` : ''}`,
    `${c.bold('Timing:')} resolve ${t.resolveMs.toFixed(1)}ms, schema ${t.schemaMs.toFixed(1)}ms${t.firstMessageMs !== undefined ? `, first message ${t.firstMessageMs.toFixed(1)}ms` : ''}, total ${t.totalMs.toFixed(1)}ms`,
  ].join('\n');
}
