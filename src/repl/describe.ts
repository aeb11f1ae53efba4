import type {DescEnum, DescMessage, DescMethod, DescService} from '@bufbuild/protobuf';
import {DialError, ExitCode} from '../errors/index.js';
import {didYouMean} from '../util/index.js';
import {fieldTypeLabel} from './guided/index.js';
import {messagesOf, servicesOf, type TargetSchema} from './schema-cache.js';

type SchemaSymbol = DescService | DescMethod | DescMessage | DescEnum;

/** Every symbol of a schema by its full name (services, Service.Method, messages, enums). */
export function symbolsOf(schema: TargetSchema): Map<string, SchemaSymbol> {
  const out = new Map<string, SchemaSymbol>();
  for (const s of servicesOf(schema)) {
    out.set(s.typeName, s);
    for (const m of s.methods) out.set(`${s.typeName}.${m.name}`, m);
  }
  for (const m of messagesOf(schema)) out.set(m.typeName, m);
  for (const t of schema.registry) if (t.kind === 'enum' && !t.typeName.startsWith('google.protobuf.')) out.set(t.typeName, t);
  return out;
}

/** Finds a symbol by full name, Service/Method, or an unambiguous short name (preferring the selected service). */
export function findSymbol(schema: TargetSchema, text: string, service?: string): SchemaSymbol {
  const all = symbolsOf(schema);
  const name = text.replace('/', '.');
  const exact = all.get(name) ?? (service ? all.get(`${service}.${name}`) : undefined);
  if (exact) return exact;
  const short = [...all.keys()].filter((k) => k.endsWith(`.${name}`));
  if (short.length === 1) return all.get(short[0])!;
  if (short.length > 1) {
    throw new DialError('AMBIGUOUS_SYMBOL', `'${text}' matches several symbols: ${short.join(', ')}`, {hint: 'use the full name', exitCode: ExitCode.Usage});
  }
  throw new DialError('SYMBOL_NOT_FOUND', `${schema.hostPort} has no symbol '${text}'${didYouMean(text, all.keys())}`, {
    hint: "'show services', 'show methods' and 'show messages' list what it has",
    exitCode: ExitCode.RpcBase + 5,
  });
}

function rpcLine(m: DescMethod): string {
  const stream = (yes: boolean) => (yes ? 'stream ' : '');
  const cs = m.methodKind === 'client_streaming' || m.methodKind === 'bidi_streaming';
  const ss = m.methodKind === 'server_streaming' || m.methodKind === 'bidi_streaming';
  return `rpc ${m.name}(${stream(cs)}${m.input.typeName}) returns (${stream(ss)}${m.output.typeName});`;
}

function messageText(m: DescMessage, indent = ''): string[] {
  const lines = [`${indent}message ${m.name} {`];
  for (const member of m.members) {
    if (member.kind === 'oneof') {
      lines.push(`${indent}  oneof ${member.name} {`);
      for (const f of member.fields) lines.push(`${indent}    ${fieldTypeLabel(f)} ${f.name} = ${f.number};`);
      lines.push(`${indent}  }`);
    } else {
      const optional = member.presence === 1 && member.fieldKind !== 'message' && member.fieldKind !== 'list' && member.fieldKind !== 'map' ? 'optional ' : '';
      lines.push(`${indent}  ${optional}${fieldTypeLabel(member)} ${member.name} = ${member.number};`);
    }
  }
  for (const n of m.nestedMessages) if (!n.file.name.startsWith('google/') && !isMapEntry(n)) lines.push(...messageText(n, `${indent}  `));
  for (const e of m.nestedEnums) lines.push(...enumText(e, `${indent}  `));
  lines.push(`${indent}}`);
  return lines;
}

function isMapEntry(m: DescMessage): boolean {
  return m.proto.options?.mapEntry === true;
}

function enumText(e: DescEnum, indent = ''): string[] {
  return [`${indent}enum ${e.name} {`, ...e.values.map((v) => `${indent}  ${v.name} = ${v.number};`), `${indent}}`];
}

/** A symbol in .proto syntax, with its full name first (as grpcurl describe prints it). */
export function describeSymbol(sym: SchemaSymbol): string {
  switch (sym.kind) {
    case 'service':
      return [`${sym.typeName} is a service:`, `service ${sym.name} {`, ...sym.methods.map((m) => `  ${rpcLine(m)}`), '}'].join('\n');
    case 'rpc':
      return [`${sym.parent.typeName}.${sym.name} is a method:`, rpcLine(sym), '', ...messageText(sym.input)].join('\n');
    case 'message':
      return [`${sym.typeName} is a message:`, ...messageText(sym)].join('\n');
    default:
      return [`${sym.typeName} is an enum:`, ...enumText(sym)].join('\n');
  }
}
