import {existsSync, readFileSync} from 'node:fs';
import {dirname, isAbsolute, relative, resolve, sep} from 'node:path';
import {create, type DescMessage, type MessageInitShape} from '@bufbuild/protobuf';
import {
  DescriptorProtoSchema, EnumDescriptorProtoSchema, EnumOptionsSchema, EnumValueOptionsSchema, FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as T, FieldDescriptorProtoSchema, FieldOptionsSchema, FileDescriptorProtoSchema, FileOptionsSchema,
  MessageOptionsSchema, MethodOptionsSchema, ServiceOptionsSchema, type FieldDescriptorProto, type FileDescriptorProto,
  type SourceCodeInfo_Location,
} from '@bufbuild/protobuf/wkt';
import type * as PB from 'protobufjs';
import {DialError, ExitCode} from '../errors/index.js';
import {didYouMean} from '../util/index.js';
import {WELL_KNOWN_FILES} from './well-known-files.js';

type Init<S extends DescMessage> = MessageInitShape<S>;

const SCALARS: Record<string, T> = {
  double: T.DOUBLE, float: T.FLOAT, int64: T.INT64, uint64: T.UINT64, int32: T.INT32, fixed64: T.FIXED64, fixed32: T.FIXED32,
  bool: T.BOOL, string: T.STRING, bytes: T.BYTES, uint32: T.UINT32, sfixed32: T.SFIXED32, sfixed64: T.SFIXED64, sint32: T.SINT32, sint64: T.SINT64,
};

const protoError = (message: string, hint?: string) => new DialError('PROTO_ERROR', message, {hint, exitCode: ExitCode.Usage});

/** protoc's json_name: lowerCamelCase of the field name. */
function jsonName(name: string): string {
  return name.replace(/_+([a-z0-9])?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''));
}

function mapEntryName(field: string): string {
  const camel = jsonName(field);
  return `${camel[0].toUpperCase()}${camel.slice(1)}Entry`;
}

/** Sets the standard options protoc knows by name (custom "(ext)" options are dropped). */
function options<S extends DescMessage>(schema: S, opts: Record<string, unknown> | undefined, skip: string[] = []) {
  if (!opts) return undefined;
  const init: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) {
    if (skip.includes(k) || k.startsWith('(') || k.includes('.')) continue;
    const f = schema.fields.find((x) => x.name === k);
    if (!f || f.fieldKind === 'message' || f.fieldKind === 'map' || f.fieldKind === 'list') continue;
    if (f.fieldKind === 'enum') {
      const ev = f.enum.values.find((e) => e.name === v);
      if (ev) init[f.localName] = ev.number;
    } else if (f.fieldKind === 'scalar') {
      init[f.localName] = f.scalar === 9 /* STRING */ ? String(v) : typeof v === 'number' && (f.scalar === 3 || f.scalar === 4) ? BigInt(v) : v;
    }
  }
  return Object.keys(init).length ? create(schema, init as never) : undefined;
}

/** proto2 default values as protoc writes them into descriptors. */
function defaultValue(v: unknown, type: T): string | undefined {
  if (v === undefined) return undefined;
  if (type === T.BYTES && typeof v === 'string') {
    return [...Buffer.from(v, 'latin1')].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c && b !== 0x22 && b !== 0x27 ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`)).join('');
  }
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (typeof v === 'number' && Number.isNaN(v)) return 'nan';
  return String(v);
}

interface Loaded {
  name: string;
  path: string;
  /** Each file is parsed into its own root, so file options stay per file; dial resolves names across files. */
  root: PB.Root;
  imports: string[];
  weak: string[];
  pkg?: string;
}

/**
 * Compiles .proto files to FileDescriptorProtos, as `protoc -I ... --include_imports`
 * would: protobufjs parses, dial resolves names with protobuf's scoping rules and
 * builds the descriptors. google/protobuf/*.proto imports come from the built-in
 * well-known types. Returns the files in dependency order, without the built-ins.
 */
export async function compileProtoFiles(files: string[], importPaths: string[]): Promise<FileDescriptorProto[]> {
  const pb = (await import('protobufjs')).default;
  const paths = (importPaths.length ? importPaths : [...new Set([...files.map((f) => dirname(f)), '.'])]).map((p) => resolve(p));
  const groups = new Set<string>();
  const loaded = new Map<string, Loaded>();
  const order: string[] = [];

  const nameOf = (abs: string): string | undefined => {
    for (const p of paths) {
      const rel = relative(p, abs);
      if (!rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
    }
    return undefined;
  };
  /**
   * An input file, as protoc and grpcurl find it: a path (from the current
   * folder) inside an import path, else a name relative to one of the import
   * paths (--proto shop/v1/shop.proto -I protos, from any folder).
   */
  const input = (file: string): {name: string; path: string} => {
    const abs = resolve(file);
    const name = existsSync(abs) ? nameOf(abs) : undefined;
    if (name !== undefined) return {name, path: abs};
    const dir = isAbsolute(file) ? undefined : paths.find((p) => existsSync(resolve(p, file)) && !relative(p, resolve(p, file)).startsWith('..'));
    if (dir !== undefined) return {name: relative(dir, resolve(dir, file)).split(sep).join('/'), path: resolve(dir, file)};
    if (existsSync(abs)) throw protoError(`${file} is not inside any --import-path (${paths.join(', ')})`, 'add the folder its imports are relative to with --import-path DIR');
    throw protoError(`cannot read ${file}: no such file (looked in the current folder${isAbsolute(file) ? '' : ` and in the import paths ${paths.join(', ')}`})`, 'check the name; --proto takes a path, or a name relative to an --import-path');
  };

  const load = (name: string, path: string, importedBy?: string) => {
    if (loaded.has(name) || WELL_KNOWN_FILES.has(name)) return;
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (e) {
      throw protoError(`cannot read ${path}${importedBy ? ` (imported by ${importedBy})` : ''}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    const parse = pb.parse as typeof pb.parse & {filename: string | null};
    parse.filename = name;
    let parsed: PB.IParserResult;
    try {
      parsed = pb.parse(source, new pb.Root(), {keepCase: true, alternateCommentMode: true});
    } catch (e) {
      throw protoError(`cannot parse ${path}: ${(e as Error).message}`);
    } finally {
      parse.filename = null;
    }
    const entry: Loaded = {name, path, root: parsed.root, imports: parsed.imports ?? [], weak: parsed.weakImports ?? [], pkg: parsed.package};
    loaded.set(name, entry);
    for (const dep of [...entry.imports, ...entry.weak]) {
      if (WELL_KNOWN_FILES.has(dep)) continue;
      const found = paths.map((p) => resolve(p, dep)).find((p) => existsSync(p));
      if (!found) {
        throw new DialError('MISSING_IMPORT', `${name} imports '${dep}', which is in none of the import paths (${paths.join(', ')})`, {
          hint: 'add the folder that holds it with --import-path DIR (several allowed)',
          exitCode: ExitCode.Usage,
        });
      }
      load(dep, found, name);
    }
    order.push(name);
  };
  for (const f of files) {
    const {name, path} = input(f);
    load(name, path);
  }

  // Symbol table: every package, message, enum and service, user files and built-ins.
  const symbols = new Map<string, 'package' | 'message' | 'enum' | 'service' | 'field'>();
  const addPackage = (pkg: string) => {
    for (let i = pkg.indexOf('.'); i !== -1; i = pkg.indexOf('.', i + 1)) symbols.set(pkg.slice(0, i), 'package');
    if (pkg) symbols.set(pkg, 'package');
  };
  for (const f of WELL_KNOWN_FILES.values()) {
    addPackage(f.proto.package);
    const walk = (m: {typeName: string; nestedMessages: unknown[]; nestedEnums: {typeName: string}[]}) => {
      symbols.set(m.typeName, 'message');
      for (const e of m.nestedEnums) symbols.set(e.typeName, 'enum');
      for (const n of m.nestedMessages) walk(n as typeof m);
    };
    for (const m of f.messages) walk(m);
    for (const e of f.enums) symbols.set(e.typeName, 'enum');
  }
  const full = (o: PB.ReflectionObject) => o.fullName.replace(/^\./, '');
  const defined = new Map<string, string>();
  const walkNs = (ns: PB.NamespaceBase, file: string) => {
    for (const o of ns.nestedArray) {
      if (!(o instanceof pb.Namespace) || o instanceof pb.Type || o instanceof pb.Enum || o instanceof pb.Service) {
        if (o instanceof pb.Field) continue;
        const prev = defined.get(full(o));
        if (prev !== undefined) throw protoError(`'${full(o)}' is defined twice: in ${prev} and in ${file}`);
        defined.set(full(o), file);
      }
      if (o instanceof pb.Type && (o as PB.Type & {group?: boolean}).group) groups.add(full(o));
      if (o instanceof pb.Type) symbols.set(full(o), 'message');
      else if (o instanceof pb.Enum) symbols.set(full(o), 'enum');
      else if (o instanceof pb.Service) symbols.set(full(o), 'service');
      else if (o instanceof pb.Namespace) symbols.set(full(o), 'package');
      if (o instanceof pb.Namespace) walkNs(o, file);
    }
  };
  for (const f of loaded.values()) walkNs(f.root, f.name);

  const resolveType = (ref: string, scope: string, where: string): {name: string; kind: 'message' | 'enum'} => {
    const hit = (n: string) => {
      const k = symbols.get(n);
      return k === 'message' || k === 'enum' ? {name: n, kind: k} : undefined;
    };
    if (ref.startsWith('.')) {
      const r = hit(ref.slice(1));
      if (r) return r;
    } else {
      const first = ref.split('.')[0];
      for (let s = scope; ; s = s.includes('.') ? s.slice(0, s.lastIndexOf('.')) : '') {
        const prefix = s ? `${s}.` : '';
        if (symbols.has(prefix + first)) {
          const r = hit(prefix + ref);
          if (r) return r;
        }
        if (!s) break;
      }
    }
    const types = [...symbols].filter(([, k]) => k === 'message' || k === 'enum').map(([n]) => n);
    throw new DialError('UNKNOWN_TYPE', `${where}: type '${ref}' is not defined${didYouMean(ref, types)}`, {
      hint: 'is its file imported? imports are resolved through --import-path',
      exitCode: ExitCode.Usage,
    });
  };

  const out: FileDescriptorProto[] = [];
  for (const name of order) {
    const file = loaded.get(name)!;
    const locations: SourceCodeInfo_Location[] = [];
    const comment = (path: number[], text: string | null | undefined) => {
      if (text) locations.push({path, span: [0, 0, 0], leadingComments: ` ${text.replace(/\n/g, '\n ')}\n`, trailingComments: '', leadingDetachedComments: []} as unknown as SourceCodeInfo_Location);
    };
    let syntax = 'proto2';
    const root = file.root;

    const field = (f: PB.Field, scope: string, path: number[], oneofIndex: Map<string, number>, nested: Init<typeof DescriptorProtoSchema>[]): Init<typeof FieldDescriptorProtoSchema> => {
      const where = `${name}: field ${scope}.${f.name}`;
      const fo = (f.options ?? {}) as Record<string, unknown>;
      const d: Init<typeof FieldDescriptorProtoSchema> = {name: f.name, number: f.id, jsonName: (fo.json_name as string | undefined) ?? jsonName(f.name)};
      const typeOf = (t: string): Partial<Pick<FieldDescriptorProto, 'type' | 'typeName'>> => {
        if (t in SCALARS) return {type: SCALARS[t]};
        const r = resolveType(t, scope, where);
        const isGroup = r.kind === 'message' && groups.has(r.name);
        return {type: r.kind === 'enum' ? T.ENUM : isGroup ? T.GROUP : T.MESSAGE, typeName: `.${r.name}`};
      };
      if (f instanceof pb.MapField) {
        const entry = mapEntryName(f.name);
        const kv = (n: string, num: number, t: string) => ({name: n, number: num, jsonName: n, label: Label.OPTIONAL, ...typeOf(t)});
        nested.push({name: entry, field: [kv('key', 1, f.keyType), kv('value', 2, f.type)], options: {mapEntry: true}});
        Object.assign(d, {label: Label.REPEATED, type: T.MESSAGE, typeName: `.${scope}.${entry}`});
      } else {
        Object.assign(d, typeOf(f.type), {label: f.rule === 'repeated' ? Label.REPEATED : f.rule === 'required' ? Label.REQUIRED : Label.OPTIONAL});
      }
      if (f.partOf) d.oneofIndex = oneofIndex.get(f.partOf.name);
      if (fo.proto3_optional) d.proto3Optional = true;
      const dv = defaultValue(fo.default, d.type as T);
      if (dv !== undefined) d.defaultValue = dv;
      const o = options(FieldOptionsSchema, fo, ['json_name', 'proto3_optional', 'default']);
      if (o) d.options = o;
      if (f.extend !== undefined) d.extendee = `.${resolveType(f.extend, scope, where).name}`;
      comment(path, f.comment);
      return d;
    };

    const enumType = (e: PB.Enum, path: number[]): Init<typeof EnumDescriptorProtoSchema> => {
      comment(path, e.comment);
      const vopts = (e as unknown as {valuesOptions?: Record<string, Record<string, unknown>>}).valuesOptions ?? {};
      return {
        name: e.name,
        value: Object.entries(e.values).map(([n, v], i) => {
          comment([...path, 2, i], e.comments[n]);
          return {name: n, number: v, options: options(EnumValueOptionsSchema, vopts[n])};
        }),
        options: options(EnumOptionsSchema, e.options),
        reservedRange: (e.reserved ?? []).filter((r): r is number[] => Array.isArray(r)).map(([a, b]) => ({start: a, end: b})),
        reservedName: (e.reserved ?? []).filter((r): r is string => typeof r === 'string'),
      };
    };

    const message = (t: PB.Type, path: number[]): Init<typeof DescriptorProtoSchema> => {
      syntax = (t as unknown as {_edition?: string})._edition ?? syntax;
      const scope = full(t);
      comment(path, t.comment);
      const oneofs = [...t.oneofsArray].sort((a, b) => Number(a.name.startsWith('_') && isSynthetic(a)) - Number(b.name.startsWith('_') && isSynthetic(b)));
      const oneofIndex = new Map(oneofs.map((o, i) => [o.name, i]));
      const nested: Init<typeof DescriptorProtoSchema>[] = [];
      const enums: Init<typeof EnumDescriptorProtoSchema>[] = [];
      const extensions: Init<typeof FieldDescriptorProtoSchema>[] = [];
      const fields = t.fieldsArray.filter((f) => !f.name.startsWith('.')).map((f, i) => field(f, scope, [...path, 2, i], oneofIndex, nested));
      for (const n of t.nestedArray) {
        if (n instanceof pb.Type) nested.push(message(n, [...path, 3, nested.length]));
        else if (n instanceof pb.Enum) enums.push(enumType(n, [...path, 4, enums.length]));
        else if (n instanceof pb.Field && n.extend !== undefined) extensions.push(field(n, scope, [...path, 6, extensions.length], new Map(), nested));
      }
      return {
        name: t.name,
        field: fields,
        nestedType: nested,
        enumType: enums,
        extension: extensions,
        oneofDecl: oneofs.map((o) => ({name: o.name})),
        options: options(MessageOptionsSchema, t.options),
        extensionRange: (t.extensions ?? []).map(([a, b]) => ({start: a, end: b + 1})),
        reservedRange: (t.reserved ?? []).filter((r): r is number[] => Array.isArray(r)).map(([a, b]) => ({start: a, end: b + 1})),
        reservedName: (t.reserved ?? []).filter((r): r is string => typeof r === 'string'),
      };
    };

    const fd: Init<typeof FileDescriptorProtoSchema> = {name, package: file.pkg ?? '', dependency: [...file.imports, ...file.weak], messageType: [], enumType: [], service: [], extension: []};
    if (file.weak.length) fd.weakDependency = file.weak.map((_, i) => file.imports.length + i);
    const pkgNs = file.pkg ? (root.lookup(file.pkg) as PB.Namespace | null) : root;
    for (const o of pkgNs?.nestedArray ?? []) {
      if (o instanceof pb.Type) fd.messageType!.push(message(o, [4, fd.messageType!.length]));
      else if (o instanceof pb.Enum) {
        syntax = (o as unknown as {_edition?: string})._edition ?? syntax;
        fd.enumType!.push(enumType(o, [5, fd.enumType!.length]));
      } else if (o instanceof pb.Service) {
        syntax = (o as unknown as {_edition?: string})._edition ?? syntax;
        const si = fd.service!.length;
        comment([6, si], o.comment);
        fd.service!.push({
          name: o.name,
          method: o.methodsArray.map((m, i) => {
            comment([6, si, 2, i], m.comment);
            return {
              name: m.name,
              inputType: `.${resolveType(m.requestType, full(o), `${name}: rpc ${o.name}.${m.name}`).name}`,
              outputType: `.${resolveType(m.responseType, full(o), `${name}: rpc ${o.name}.${m.name}`).name}`,
              ...(m.requestStream ? {clientStreaming: true} : {}),
              ...(m.responseStream ? {serverStreaming: true} : {}),
              options: options(MethodOptionsSchema, m.options),
            };
          }),
          options: options(ServiceOptionsSchema, o.options),
        });
      } else if (o instanceof pb.Field && o.extend !== undefined) {
        fd.extension!.push(field(o, file.pkg ?? '', [7, fd.extension!.length], new Map(), []));
      }
    }
    // protobufjs keeps file options on the namespace of the file's package.
    fd.options = options(FileOptionsSchema, pkgNs?.options);
    if (syntax === 'proto3') fd.syntax = 'proto3';
    else if (syntax !== 'proto2') {
      fd.syntax = 'editions';
      fd.edition = Number(syntax) === 2023 ? 1000 : 1001;
    }
    if (locations.length) fd.sourceCodeInfo = {location: locations};
    out.push(create(FileDescriptorProtoSchema, fd));
  }
  return out;
}

function isSynthetic(o: PB.OneOf): boolean {
  return o.fieldsArray.length === 1 && Boolean((o.fieldsArray[0].options as Record<string, unknown> | undefined)?.proto3_optional);
}
