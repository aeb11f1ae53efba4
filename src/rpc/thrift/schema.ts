import {SyntaxType, type FieldDefinition, type FunctionType} from '@creditkarma/thrift-parser';
import {loadThriftIdl, type ThriftIdl, type ThriftStruct, type ThriftType} from '../../codecs/thrift-idl.js';
import {DialError, ExitCode} from '../../errors/index.js';
import {didYouMean} from '../../util/index.js';

/** One function of a Thrift service, with its argument and result structs built the way the Thrift compiler builds them. */
export interface ThriftFunction {
  name: string;
  /** The service that declares it (a base service's functions keep their own service). */
  service: string;
  oneway: boolean;
  /** `Service_method_args`: the parameters as fields. */
  args: ThriftStruct;
  /** `Service_method_result`: field 0 `success` (unless void) and one field per declared exception. */
  result: ThriftStruct;
  /** The return type as written in the IDL (`void` for none). */
  returns: string;
  /** The declared exceptions: result field name -> exception type name. */
  throws: {field: string; type: string}[];
}

export interface ThriftService {
  name: string;
  file: string;
  extends?: string;
  /** Own functions, then those of the services it extends. */
  functions: ThriftFunction[];
}

/** A .thrift file with its includes: the types (as `dial codec` reads them) and the services. */
export interface ThriftSchema {
  file: string;
  idl: ThriftIdl;
  services: ThriftService[];
}

/** How an IDL type reads in a signature: `list<string>`, `map<Point,string>`, `shared.Note`. */
export function typeText(t: FunctionType): string {
  switch (t.type) {
    case SyntaxType.ListType: return `list<${typeText(t.valueType)}>`;
    case SyntaxType.SetType: return `set<${typeText(t.valueType)}>`;
    case SyntaxType.MapType: return `map<${typeText(t.keyType)},${typeText(t.valueType)}>`;
    case SyntaxType.Identifier: return t.value;
    default: return t.type.replace('Keyword', '').toLowerCase();
  }
}

function fieldsOf(idl: ThriftIdl, fields: FieldDefinition[], scope: string): ThriftStruct['fields'] {
  return fields.map((f, i) => ({id: f.fieldID?.value ?? -(i + 1), name: f.name.value, type: idl.typeOf(f.fieldType, scope), required: f.requiredness === 'required'}));
}

/** Loads FILE.thrift (includes beside it or under importPaths) with its services. */
export async function loadThriftSchema(file: string, importPaths: string[] = []): Promise<ThriftSchema> {
  const idl = await loadThriftIdl(file, importPaths);
  const own = new Map<string, ThriftService>();
  for (const [name, def] of idl.definitions) {
    const s = def.statement;
    if (s.type !== SyntaxType.ServiceDefinition) continue;
    const scope = name.includes('.') ? name.slice(0, name.lastIndexOf('.') + 1) : '';
    const functions = s.functions.map((f): ThriftFunction => {
      const args = fieldsOf(idl, f.fields, scope);
      const throws = fieldsOf(idl, f.throws, scope);
      const success = f.returnType.type === SyntaxType.VoidKeyword ? [] : [{id: 0, name: 'success', type: idl.typeOf(f.returnType, scope) as ThriftType, required: false}];
      const base = name.slice(scope.length);
      return {
        name: f.name.value, service: name, oneway: f.oneway,
        args: {name: `${base}_${f.name.value}_args`, kind: 'struct', fields: args},
        result: {name: `${base}_${f.name.value}_result`, kind: 'struct', fields: [...success, ...throws]},
        returns: typeText(f.returnType),
        throws: f.throws.map((t) => ({field: t.name.value, type: typeText(t.fieldType)})),
      };
    });
    const ext = s.extends ? (idl.definitions.has(scope + s.extends.value) ? scope + s.extends.value : s.extends.value) : undefined;
    own.set(name, {name, file: def.file, ...(ext ? {extends: ext} : {}), functions});
  }
  // A service that extends another also serves the base's functions (the compiler's client does the same).
  const inherited = (svc: ThriftService, seen = new Set<string>()): ThriftFunction[] => {
    if (!svc.extends || seen.has(svc.name)) return [];
    seen.add(svc.name);
    const base = own.get(svc.extends);
    if (!base) throw new DialError('BAD_SCHEMA', `${svc.file}: service ${svc.name} extends unknown service '${svc.extends}'`, {exitCode: ExitCode.Usage});
    return [...base.functions, ...inherited(base, seen)];
  };
  const services = [...own.values()].map((s) => ({...s, functions: [...s.functions, ...inherited(s).filter((f) => !s.functions.some((g) => g.name === f.name))]}));
  return {file, idl, services};
}

/** A method as written on the command line: `Service.method`, `Service/method`, `Service:method` (multiplexed) or `method`. */
export interface ThriftMethodRef {
  service?: string;
  method: string;
  /** `Service:method`: send the name as TMultiplexedProtocol does. */
  multiplexed: boolean;
}

export function parseThriftMethod(text: string): ThriftMethodRef {
  const m = /^(.+)([:/.])([^:/.]+)$/.exec(text.trim());
  if (!m) return {method: text.trim(), multiplexed: false};
  return {service: m[1], method: m[3], multiplexed: m[2] === ':'};
}

/** Finds the function a method reference names; unknown names get the near misses and the service's functions. */
export function findThriftFunction(schema: ThriftSchema, text: string): {fn: ThriftFunction; service: ThriftService; ref: ThriftMethodRef} {
  const ref = parseThriftMethod(text);
  if (schema.services.length === 0) throw new DialError('NOT_FOUND', `${schema.file} declares no service`, {hint: 'pass the .thrift file that has the service with --schema (its includes with -I)', exitCode: ExitCode.Usage});
  const byName = (n: string) => schema.services.filter((s) => s.name === n || s.name.endsWith(`.${n}`));
  const services = ref.service ? byName(ref.service) : schema.services.filter((s) => s.functions.some((f) => f.name === ref.method));
  if (ref.service && services.length === 0) {
    const names = schema.services.map((s) => s.name);
    throw new DialError('NOT_FOUND', `no service '${ref.service}' in ${schema.file}${didYouMean(ref.service, names)}`, {hint: `services: ${names.join(', ')}`, exitCode: ExitCode.RpcBase + 12});
  }
  if (!ref.service && services.length > 1) {
    throw new DialError('AMBIGUOUS_METHOD', `'${ref.method}' is a function of ${services.map((s) => s.name).join(' and ')}`, {hint: `name the service: ${services[0].name}.${ref.method}`, exitCode: ExitCode.Usage});
  }
  const pool = services.length ? services : schema.services;
  const found = pool.flatMap((s) => s.functions.filter((f) => f.name === ref.method).map((fn) => ({fn, service: s})))[0];
  if (!found) {
    const all = pool.flatMap((s) => s.functions.map((f) => `${s.name}.${f.name}`));
    throw new DialError('METHOD_NOT_FOUND', `no function '${ref.method}' in ${ref.service ? `service ${pool[0].name}` : schema.file}${didYouMean(ref.method, pool.flatMap((s) => s.functions.map((f) => f.name)))}`, {
      hint: `functions: ${all.join(', ')} ('dial list --schema ${schema.file} SERVICE' lists them)`, exitCode: ExitCode.RpcBase + 12,
    });
  }
  return {...found, ref};
}
