import type {SoapDescription} from '../../rpc/protocols/index.js';
import type {Output} from '../output.js';

function shape(v: unknown): string {
  if (v === null || v === undefined) return '()';
  if (typeof v !== 'object') return String(v);
  return `{${Object.entries(v).map(([k, x]) => `${k}: ${shape(x)}`).join(', ')}}`;
}

/** `dial describe` of a SOAP service: services, ports (SOAP version, address), operations with input -> output. */
export function renderSoapDescription(out: Output, d: SoapDescription): string {
  const c = out.color;
  const lines = [`${c.dim('WSDL')} ${d.wsdl}${d.targetNamespace ? c.dim(`  (namespace ${d.targetNamespace})`) : ''}`];
  for (const s of d.services) {
    lines.push(`service ${c.bold(s.name)}`);
    for (const p of s.ports) {
      lines.push(`  port ${c.bold(p.name)}  ${p.soapVersion ? `SOAP ${p.soapVersion}` : 'not SOAP'}  ${p.location ?? ''}`.trimEnd());
      for (const o of p.operations) {
        lines.push(`    ${c.cyan(o.name)}(${shape(o.input).slice(1, -1)}) -> ${shape(o.output)}${o.soapAction ? c.dim(`  soapAction ${o.soapAction}`) : ''}`);
      }
    }
  }
  return lines.join('\n');
}
