import {access, readFile} from 'node:fs/promises';
import {dirname, resolve} from 'node:path';
import {parse, SyntaxType, type FieldType, type FunctionType, type ThriftStatement} from '@creditkarma/thrift-parser';
import {DialError, ExitCode} from '../errors/index.js';
import {didYouMean} from '../util/index.js';

/** A Thrift type, resolved against the IDL (typedefs followed). */
export type ThriftType =
  | {kind: 'bool' | 'byte' | 'i16' | 'i32' | 'i64' | 'double' | 'string' | 'binary'}
  | {kind: 'list' | 'set'; elem: ThriftType}
  | {kind: 'map'; key: ThriftType; value: ThriftType}
  | {kind: 'enum'; name: string; byName: Map<string, number>; byValue: Map<number, string>}
  | {kind: 'struct'; name: string; struct: () => ThriftStruct};

export interface ThriftField {
  id: number;
  name: string;
  type: ThriftType;
  required: boolean;
}

export interface ThriftStruct {
  name: string;
  kind: 'struct' | 'union' | 'exception';
  fields: ThriftField[];
}

/** A named definition of the IDL, with the file it is in and its source text (for `dial describe`). */
export interface ThriftDefinition {
  statement: ThriftStatement;
  file: string;
  text: string;
}

/** The named types of a .thrift file and its includes (included names as `file.Name`). */
export interface ThriftIdl {
  file: string;
  structs: Map<string, ThriftStruct>;
  find(name: string): ThriftStruct;
  /** Every named definition (structs, enums, services, typedefs, consts), included ones as `file.Name`, in file order. */
  definitions: Map<string, ThriftDefinition>;
  /** Resolves a field or return type written in the scope (`''`, or `file.` inside an included file). */
  typeOf(t: FieldType | FunctionType, scope: string): ThriftType;
}

const BASE: Partial<Record<SyntaxType, ThriftType['kind']>> = {
  [SyntaxType.BoolKeyword]: 'bool', [SyntaxType.ByteKeyword]: 'byte', [SyntaxType.I8Keyword]: 'byte', [SyntaxType.I16Keyword]: 'i16',
  [SyntaxType.I32Keyword]: 'i32', [SyntaxType.I64Keyword]: 'i64', [SyntaxType.DoubleKeyword]: 'double',
  [SyntaxType.StringKeyword]: 'string', [SyntaxType.BinaryKeyword]: 'binary',
};

function schemaError(file: string, message: string): DialError {
  return new DialError('BAD_SCHEMA', `${file}: ${message}`, {hint: 'check the Thrift IDL', exitCode: ExitCode.Usage});
}

/** An include path: beside the including file first (as the Thrift compiler does), then each -I folder. */
async function findInclude(path: string, from: string, importPaths: string[]): Promise<string> {
  const candidates = [resolve(dirname(from), path), ...importPaths.map((d) => resolve(d, path))];
  for (const c of candidates) {
    if (await access(c).then(() => true, () => false)) return c;
  }
  throw schemaError(from, `include "${path}" not found (searched ${[dirname(from), ...importPaths].join(', ')})`);
}

async function parseFile(file: string, prefix: string, into: Map<string, ThriftDefinition>, seen: Set<string>, importPaths: string[]): Promise<void> {
  if (seen.has(file)) return;
  seen.add(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw schemaError(file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  const doc = parse(text);
  if (doc.type === SyntaxType.ThriftErrors) {
    const e = doc.errors[0];
    throw schemaError(file, `line ${e.loc.start.line}: ${e.message}`);
  }
  for (const s of doc.body) {
    if (s.type === SyntaxType.IncludeDefinition) {
      const inc = await findInclude(s.path.value, file, importPaths);
      await parseFile(inc, `${prefix}${inc.replace(/^.*\//, '').replace(/\.thrift$/, '')}.`, into, seen, importPaths);
    } else if ('name' in s && s.type !== SyntaxType.NamespaceDefinition) {
      into.set(prefix + s.name.value, {statement: s, file, text: text.slice(s.loc.start.index, s.loc.end.index)});
    }
  }
}

/** Parses a .thrift file (with its includes, found beside each file or in importPaths) into resolved struct definitions. */
export async function loadThriftIdl(file: string, importPaths: string[] = []): Promise<ThriftIdl> {
  const definitions = new Map<string, ThriftDefinition>();
  await parseFile(resolve(file), '', definitions, new Set(), importPaths);
  const defs = new Map([...definitions].map(([k, d]) => [k, d.statement]));
  const structs = new Map<string, ThriftStruct>();
  const typeOf = (t: FieldType | FunctionType, scope: string): ThriftType => {
    const base = BASE[t.type];
    if (base) return {kind: base} as ThriftType;
    switch (t.type) {
      case SyntaxType.ListType:
      case SyntaxType.SetType:
        return {kind: t.type === SyntaxType.ListType ? 'list' : 'set', elem: typeOf(t.valueType, scope)};
      case SyntaxType.MapType:
        return {kind: 'map', key: typeOf(t.keyType, scope), value: typeOf(t.valueType, scope)};
      case SyntaxType.Identifier: {
        const name = defs.has(scope + t.value) ? scope + t.value : t.value;
        const def = defs.get(name);
        if (!def) throw schemaError(file, `unknown type '${t.value}'${didYouMean(t.value, defs.keys())}`);
        if (def.type === SyntaxType.TypedefDefinition) return typeOf(def.definitionType, scope);
        if (def.type === SyntaxType.EnumDefinition) {
          const byName = new Map<string, number>();
          let next = 0;
          for (const m of def.members) {
            const v = m.initializer ? Number(m.initializer.value.value) : next;
            byName.set(m.name.value, v);
            next = v + 1;
          }
          return {kind: 'enum', name, byName, byValue: new Map([...byName].map(([k, v]) => [v, k]))};
        }
        if (def.type === SyntaxType.StructDefinition || def.type === SyntaxType.UnionDefinition || def.type === SyntaxType.ExceptionDefinition) {
          return {kind: 'struct', name, struct: () => struct(name)};
        }
        throw schemaError(file, `'${t.value}' is a ${def.type.replace('Definition', '').toLowerCase()}, not a type`);
      }
      default:
        throw schemaError(file, `unsupported type ${t.type}`);
    }
  };
  const struct = (name: string): ThriftStruct => {
    const cached = structs.get(name);
    if (cached) return cached;
    const def = defs.get(name);
    if (!def || (def.type !== SyntaxType.StructDefinition && def.type !== SyntaxType.UnionDefinition && def.type !== SyntaxType.ExceptionDefinition)) {
      const names = [...defs].filter(([, d]) => d.type === SyntaxType.StructDefinition || d.type === SyntaxType.UnionDefinition || d.type === SyntaxType.ExceptionDefinition).map(([n]) => n);
      throw new DialError('UNKNOWN_TYPE', `no struct '${name}' in ${file}${didYouMean(name, names)}`, {hint: `structs: ${names.join(', ') || '(none)'}`, exitCode: ExitCode.Usage});
    }
    const scope = name.includes('.') ? name.slice(0, name.lastIndexOf('.') + 1) : '';
    const s: ThriftStruct = {name, kind: def.type === SyntaxType.UnionDefinition ? 'union' : def.type === SyntaxType.ExceptionDefinition ? 'exception' : 'struct', fields: []};
    structs.set(name, s);
    s.fields = def.fields.map((f, i) => ({id: f.fieldID?.value ?? -(i + 1), name: f.name.value, type: typeOf(f.fieldType, scope), required: f.requiredness === 'required'}));
    return s;
  };
  return {file, structs, find: struct, definitions, typeOf};
}
