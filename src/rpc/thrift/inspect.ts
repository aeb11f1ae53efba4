import {isAbsolute, relative} from 'node:path';
import {SyntaxType, type FieldDefinition, type ThriftStatement} from '@creditkarma/thrift-parser';
import type {JsonValue} from '../../codecs/types.js';
import {DialError, ExitCode} from '../../errors/index.js';
import {didYouMean} from '../../util/index.js';
import {loadThriftSchema, parseThriftMethod, typeText, type ThriftFunction, type ThriftSchema} from './schema.js';

export interface ThriftInspectRequest {
  /** FILE.thrift */
  schema: string;
  importPaths?: string[];
}

export interface ThriftMethodInfo {
  name: string;
  /** Service.method, as dial call takes it. */
  fullName: string;
  kind: 'unary' | 'oneway';
  /** The parameters as the IDL writes them: `1: HelloRequest request`. */
  input: string;
  output: string;
  throws: string[];
  /** `(1: HelloRequest request) returns (HelloReply) throws (1: InvalidName invalid)` */
  signature: string;
}

/** `dial list --schema FILE.thrift [SERVICE]`: the services of the IDL, or the functions of one. */
export interface ThriftListResult {
  schema: string;
  services?: string[];
  service?: string;
  methods?: ThriftMethodInfo[];
}

/** `dial describe --schema FILE.thrift [SYMBOL]`: one definition as IDL text and as JSON. */
export interface ThriftDescription {
  symbol: string;
  kind: string;
  file: string;
  /** IDL source text of the definition. */
  text: string;
  descriptor: JsonValue;
}

const KIND: Partial<Record<SyntaxType, string>> = {
  [SyntaxType.ServiceDefinition]: 'service', [SyntaxType.StructDefinition]: 'struct', [SyntaxType.UnionDefinition]: 'union',
  [SyntaxType.ExceptionDefinition]: 'exception', [SyntaxType.EnumDefinition]: 'enum', [SyntaxType.TypedefDefinition]: 'typedef',
  [SyntaxType.ConstDefinition]: 'const',
};

const fieldText = (f: FieldDefinition) => `${f.fieldID ? `${f.fieldID.value}: ` : ''}${f.requiredness ? `${f.requiredness} ` : ''}${typeText(f.fieldType)} ${f.name.value}`;
const fieldJson = (f: FieldDefinition): JsonValue => ({id: f.fieldID?.value ?? null, name: f.name.value, type: typeText(f.fieldType), requiredness: f.requiredness ?? 'default'});

function statementOf(schema: ThriftSchema, fn: ThriftFunction) {
  const svc = schema.idl.definitions.get(fn.service)!;
  const s = svc.statement;
  if (s.type !== SyntaxType.ServiceDefinition) throw new Error(`${fn.service} is not a service`);
  const f = s.functions.find((x) => x.name.value === fn.name)!;
  return {svc, s, f};
}

function methodInfo(schema: ThriftSchema, service: string, fn: ThriftFunction): ThriftMethodInfo {
  const {f} = statementOf(schema, fn);
  const input = f.fields.map(fieldText).join(', ');
  const throws = f.throws.map(fieldText);
  return {
    name: fn.name, fullName: `${service}.${fn.name}`, kind: fn.oneway ? 'oneway' : 'unary', input, output: fn.returns, throws,
    signature: `(${input}) returns (${fn.returns})${throws.length ? ` throws (${throws.join(', ')})` : ''}`,
  };
}

function descriptor(s: ThriftStatement): JsonValue {
  switch (s.type) {
    case SyntaxType.StructDefinition: case SyntaxType.UnionDefinition: case SyntaxType.ExceptionDefinition:
      return {name: s.name.value, fields: s.fields.map(fieldJson)};
    case SyntaxType.EnumDefinition: {
      let next = 0;
      return {name: s.name.value, values: Object.fromEntries(s.members.map((m) => {
        const v = m.initializer ? Number(m.initializer.value.value) : next;
        next = v + 1;
        return [m.name.value, v];
      }))};
    }
    case SyntaxType.ServiceDefinition:
      return {name: s.name.value, extends: s.extends?.value ?? null, functions: s.functions.map((f) => ({name: f.name.value, oneway: f.oneway, returns: typeText(f.returnType), params: f.fields.map(fieldJson), throws: f.throws.map(fieldJson)}))};
    case SyntaxType.TypedefDefinition:
      return {name: s.name.value, type: typeText(s.definitionType)};
    case SyntaxType.ConstDefinition:
      return {name: s.name.value, type: typeText(s.fieldType)};
    default:
      return {};
  }
}

/** A file as it prints: relative to the current folder when under it, else absolute. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function notFound(what: string, name: string, names: string[], file: string): DialError {
  return new DialError('NOT_FOUND', `no ${what} '${name}' in ${file}${didYouMean(name, names)}`, {hint: `${what === 'service' ? 'services' : 'definitions'}: ${names.join(', ') || '(none)'}`, exitCode: ExitCode.RpcBase + 5});
}

/** The services of the IDL, or the functions of one (short names work when unique). */
export async function listThrift(req: ThriftInspectRequest & {service?: string}): Promise<ThriftListResult> {
  const schema = await loadThriftSchema(req.schema, req.importPaths);
  const where = `IDL ${req.schema}`;
  if (!req.service) return {schema: where, services: schema.services.map((s) => s.name)};
  const svc = schema.services.find((s) => s.name === req.service) ?? schema.services.find((s) => s.name.endsWith(`.${req.service}`));
  if (!svc) throw notFound('service', req.service, schema.services.map((s) => s.name), req.schema);
  return {schema: where, service: svc.name, methods: svc.functions.map((f) => methodInfo(schema, svc.name, f))};
}

/** A definition (service, function as Service.method, struct, union, exception, enum, typedef, const) as IDL text; no SYMBOL: every service. */
export async function describeThrift(req: ThriftInspectRequest & {symbol?: string}): Promise<ThriftDescription[]> {
  const schema = await loadThriftSchema(req.schema, req.importPaths);
  const defs = schema.idl.definitions;
  const describe = (name: string): ThriftDescription => {
    const d = defs.get(name)!;
    return {symbol: name, kind: KIND[d.statement.type] ?? d.statement.type, file: shown(d.file), text: d.text, descriptor: descriptor(d.statement)};
  };
  if (!req.symbol) return schema.services.map((s) => describe(s.name));
  const sym = req.symbol;
  const named = defs.has(sym) ? sym : [...defs.keys()].filter((k) => k.endsWith(`.${sym}`)).at(0);
  if (named) return [describe(named)];
  const ref = parseThriftMethod(sym);
  const svc = ref.service ? schema.services.find((s) => s.name === ref.service || s.name.endsWith(`.${ref.service}`)) : undefined;
  const fn = svc?.functions.find((f) => f.name === ref.method);
  if (svc && fn) {
    const {svc: def, s, f} = statementOf(schema, fn);
    const text = def.text.slice(f.loc.start.index - s.loc.start.index, f.loc.end.index - s.loc.start.index).replace(/[,;]\s*$/, '');
    return [{symbol: `${svc.name}.${fn.name}`, kind: fn.oneway ? 'oneway function' : 'function', file: shown(def.file), text, descriptor: {...methodInfo(schema, svc.name, fn)} as unknown as JsonValue}];
  }
  const names = [...defs.keys(), ...schema.services.flatMap((s) => s.functions.map((f) => `${s.name}.${f.name}`))];
  throw notFound('definition', sym, names, req.schema);
}
