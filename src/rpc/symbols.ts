import type {FileRegistry} from '@bufbuild/protobuf';
import {DialError, ExitCode} from '../errors/index.js';
import {didYouMean} from '../util/index.js';
import type {Describable} from './proto-text.js';

/** Looks up a fully-qualified symbol: a file, service, method, message, enum, field, enum value or extension. */
export function lookupSymbol(registry: FileRegistry, text: string): Describable | undefined {
  const name = text.replace(/^\./, '').replace('/', '.');
  const file = registry.getFile(text);
  if (file) return file;
  const direct = registry.get(name);
  if (direct) return direct;
  const dot = name.lastIndexOf('.');
  if (dot === -1) return undefined;
  const parent = name.slice(0, dot);
  const child = name.slice(dot + 1);
  return registry.getService(parent)?.methods.find((m) => m.name === child)
    ?? registry.getMessage(parent)?.fields.find((f) => f.name === child)
    ?? registry.getEnum(parent)?.values.find((v) => v.name === child);
}

/** Every service, method, message and enum name in the registry (for suggestions and short names). */
export function allSymbols(registry: FileRegistry): string[] {
  const out: string[] = [];
  for (const t of registry) {
    if (t.kind === 'service') {
      out.push(t.typeName, ...t.methods.map((m) => `${t.typeName}.${m.name}`));
    } else if (t.kind === 'message' || t.kind === 'enum') out.push(t.typeName);
  }
  return out;
}

/** Symbols whose last name parts match a short name ("Greeter", "Greeter.SayHello", "HelloRequest"). */
export function findByShortName(registry: FileRegistry, text: string): string[] {
  const name = text.replace(/^\./, '').replace('/', '.');
  return allSymbols(registry).filter((s) => s === name || s.endsWith(`.${name}`));
}

export function symbolNotFound(symbol: string, where: string, registry?: FileRegistry): DialError {
  return new DialError('SYMBOL_NOT_FOUND', `${where} has no symbol '${symbol}'${registry ? didYouMean(symbol, allSymbols(registry)) : ''}`, {
    hint: "list the services with 'dial list TARGET', and a service's methods with 'dial list TARGET SERVICE'",
    exitCode: ExitCode.RpcBase + 5,
  });
}
