import {DialError, ExitCode} from '../errors/index.js';
import {kindName, protoText, type Describable} from '../rpc/proto-text.js';
import {allSymbols, findByShortName, lookupSymbol, symbolNotFound} from '../rpc/symbols.js';
import type {TargetSchema} from './schema-cache.js';

/** Every service, method, message and enum name of a schema (for completion). */
export function symbolsOf(schema: TargetSchema): string[] {
  return allSymbols(schema.registry).filter((s) => !s.startsWith('google.protobuf.') && !s.startsWith('grpc.reflection.'));
}

/** Finds a symbol by full name, Service/Method, or an unambiguous short name (the selected service's first). */
export function findSymbol(schema: TargetSchema, text: string, service?: string): Describable {
  const reg = schema.registry;
  const found = lookupSymbol(reg, text) ?? (service ? lookupSymbol(reg, `${service}.${text}`) : undefined);
  if (found) return found;
  const short = findByShortName(reg, text);
  if (short.length === 1) return lookupSymbol(reg, short[0])!;
  if (short.length > 1) {
    throw new DialError('AMBIGUOUS_SYMBOL', `'${text}' matches several symbols: ${short.join(', ')}`, {hint: 'use the full name', exitCode: ExitCode.Usage});
  }
  throw symbolNotFound(text, schema.hostPort, reg);
}

/** A symbol in .proto syntax, after a line that says what it is. */
export function describeSymbol(d: Describable): string {
  const name = d.kind === 'file' ? d.name : d.kind === 'rpc' ? `${d.parent.typeName}.${d.name}` : d.kind === 'enum_value' || d.kind === 'field' ? `${d.parent.typeName}.${d.name}` : d.typeName;
  return `${name} is ${kindName(d)}:\n${protoText(d).trimEnd()}`;
}
