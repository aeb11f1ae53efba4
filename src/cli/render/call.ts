import type {AnyCallOutcome} from '../../rpc/index.js';
import type {Output} from '../output.js';

const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;

/** The time of each layer of a call, one line each (the end of what -v shows). */
export function renderTiming(o: AnyCallOutcome): string[] {
  const t: Partial<Record<'dnsMs' | 'tcpMs' | 'tlsMs' | 'http2Ms' | 'firstByteMs', number>> & AnyCallOutcome['timing'] = o.timing;
  const c = 'connection' in o ? o.connection : undefined;
  const schema = 'schema' in o ? o.schema : undefined;
  const rows: [string, number | undefined, string][] = [
    [o.via ? 'resolve (registry)' : 'resolve', t.resolveMs, o.via ? `${o.via.service} -> ${o.target} (instance ${o.via.instance})` : 'address given'],
    ['dns', t.dnsMs, c ? `-> ${c.address}` : ''],
    ['tcp connect', t.tcpMs, c?.address ?? ''],
    ['tls handshake', t.tlsMs, c?.tls ? `${c.tls.version}, ${c.tls.cipher}${c.tls.alpn ? `, ALPN ${c.tls.alpn}` : ''}` : ''],
    ['http/2 preface+settings', t.http2Ms, 'until the server\'s SETTINGS arrived'],
    ['schema', t.schemaMs, schema ?? ''],
    ['first response byte', t.firstByteMs, `after the request went out${o.protocol === 'thrift' && !c?.httpVersion ? '' : ` (HTTP/${c?.httpVersion ?? '2'})`}`],
    ['first message', t.firstMessageMs, 'since the start'],
    ['total', t.totalMs, `${'messageCount' in o ? o.messageCount : o.messages.length} message(s)`],
  ];
  return rows.filter(([, v]) => v !== undefined).map(([name, v, note]) => `  ${name.padEnd(24)}${ms(v!).padStart(10)}  ${note}`);
}

/** The -v view of a call: where it went, headers, trailers, status, the time of each layer. */
export function renderCallDetails(out: Output, o: AnyCallOutcome, trace?: {traceId: string; invalid?: string}): string {
  const c = out.errColor;
  const kv = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `  ${k}: ${v}`).join('\n') || '  (none)';
  return [
    `${c.bold('Target:')} ${o.target}${o.via ? ` (service ${o.via.service}, instance ${o.via.instance}, from ${o.via.registry})` : ''}`,
    `${c.bold('Method:')} ${o.method} (${o.kind}, ${o.protocol})`,
    ...('http' in o ? [`${c.bold('Protocol:')} ${o.protocol} (${o.codec}), ${o.http.method} ${o.http.url} -> HTTP ${o.http.status} ${o.http.statusText}`] : []),
    ...('thrift' in o ? [`${c.bold('Protocol:')} thrift, ${o.thrift.transport} transport${o.thrift.url ? ` (POST ${o.thrift.url}${o.thrift.httpStatus ? ` -> HTTP ${o.thrift.httpStatus}` : ''})` : ''}, ${o.thrift.protocol} protocol, message '${o.thrift.messageName}'${o.thrift.multiplexed ? ' (multiplexed)' : ''}`] : []),
    `${c.bold('Request metadata:')}\n${kv(o.requestHeaders)}`,
    `${c.bold('Response headers:')}\n${kv(o.responseHeaders)}`,
    `${c.bold('Response trailers:')}\n${kv(o.trailers)}`,
    `${c.bold('Status:')} ${o.status.code} ${o.status.name}${o.status.message ? `: ${o.status.message}` : ''}`,
    ...(o.status.details?.length ? [`${c.bold('Error details:')}\n${o.status.details.map((d) => `  ${JSON.stringify(d)}`).join('\n')}`] : []),
    `${c.bold('Timing:')}\n${renderTiming(o).join('\n')}`,
    ...(trace?.invalid !== undefined ? [`-H traceparent '${trace.invalid}' is not a valid W3C traceparent: sent a new trace instead`] : []),
    ...(trace ? [`${c.bold('Trace:')} ${trace.traceId} (dial cluster logs --trace ${trace.traceId})`] : []),
  ].join('\n');
}

/** What a failed RPC prints on stderr without -v (grpcurl's shape, plus decoded details). */
export function renderCallError(out: Output, o: AnyCallOutcome): string {
  const lines = [`${out.errColor.red('ERROR:')}`, `  Code: ${o.status.name}`, `  Message: ${o.status.message}`];
  if (o.status.details?.length) {
    lines.push('  Details:');
    for (const d of o.status.details) lines.push(...JSON.stringify(d, null, 2).split('\n').map((l) => `    ${l}`));
  }
  return lines.join('\n');
}
