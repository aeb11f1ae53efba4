import {isFieldSet, ScalarType, type DescEnum, type DescEnumValue, type DescField, type DescFile, type DescMessage, type DescMethod, type DescOneof, type DescService, type DescExtension} from '@bufbuild/protobuf';
import {FieldOptionsSchema} from '@bufbuild/protobuf/wkt';

/** Anything `dial describe` can print. */
export type Describable = DescFile | DescService | DescMethod | DescMessage | DescEnum | DescField | DescEnumValue | DescExtension;
const SCALAR_NAMES: Record<number, string> = {
  [ScalarType.DOUBLE]: 'double', [ScalarType.FLOAT]: 'float', [ScalarType.INT64]: 'int64', [ScalarType.UINT64]: 'uint64',
  [ScalarType.INT32]: 'int32', [ScalarType.FIXED64]: 'fixed64', [ScalarType.FIXED32]: 'fixed32', [ScalarType.BOOL]: 'bool',
  [ScalarType.STRING]: 'string', [ScalarType.BYTES]: 'bytes', [ScalarType.UINT32]: 'uint32', [ScalarType.SFIXED32]: 'sfixed32',
  [ScalarType.SFIXED64]: 'sfixed64', [ScalarType.SINT32]: 'sint32', [ScalarType.SINT64]: 'sint64',
};

type Pathed = DescMessage | DescEnum | DescEnumValue | DescField | DescOneof | DescService | DescMethod | DescExtension;

/** The source-code-info path of an element (as protoc assigns it), to find its comments. */
function pathOf(d: Pathed): number[] {
  switch (d.kind) {
    case 'message':
      return d.parent ? [...pathOf(d.parent), 3, d.parent.proto.nestedType.indexOf(d.proto)] : [4, d.file.proto.messageType.indexOf(d.proto)];
    case 'enum':
      return d.parent ? [...pathOf(d.parent), 4, d.parent.proto.enumType.indexOf(d.proto)] : [5, d.file.proto.enumType.indexOf(d.proto)];
    case 'enum_value':
      return [...pathOf(d.parent), 2, d.parent.proto.value.indexOf(d.proto)];
    case 'field':
      return [...pathOf(d.parent), 2, d.parent.proto.field.indexOf(d.proto)];
    case 'oneof':
      return [...pathOf(d.parent), 8, d.parent.proto.oneofDecl.indexOf(d.proto)];
    case 'service':
      return [6, d.file.proto.service.indexOf(d.proto)];
    case 'rpc':
      return [...pathOf(d.parent), 2, d.parent.proto.method.indexOf(d.proto)];
    case 'extension':
      return d.parent ? [...pathOf(d.parent), 6, d.parent.proto.extension.indexOf(d.proto)] : [7, d.file.proto.extension.indexOf(d.proto)];
  }
}

function fileOf(d: Pathed): DescFile {
  switch (d.kind) {
    case 'enum_value': return d.parent.file;
    case 'field': case 'oneof': return d.parent.file;
    case 'rpc': return d.parent.file;
    default: return d.file;
  }
}

function comments(d: Pathed, indent: string): string {
  const path = pathOf(d).join(',');
  const loc = fileOf(d).proto.sourceCodeInfo?.location.find((l) => l.path.join(',') === path);
  const text = loc?.leadingComments?.replace(/\n$/, '');
  if (!text) return '';
  return text.split('\n').map((l) => `${indent}//${l.trimEnd()}\n`).join('');
}

function typeName(f: {fieldKind: string; scalar?: ScalarType; message?: DescMessage; enum?: DescEnum}): string {
  if (f.message) return f.message.typeName;
  if (f.enum) return f.enum.typeName;
  return SCALAR_NAMES[f.scalar ?? ScalarType.STRING];
}

function fieldOptions(f: DescField | DescExtension): string {
  const o: string[] = [];
  if (f.proto.jsonName && f.proto.jsonName !== defaultJsonName(f.name)) o.push(`json_name = "${f.proto.jsonName}"`);
  if (f.proto.defaultValue) {
    const dv = f.proto.defaultValue;
    o.push(`default = ${f.fieldKind === 'scalar' && f.scalar === ScalarType.STRING ? JSON.stringify(dv) : f.fieldKind === 'scalar' && f.scalar === ScalarType.BYTES ? `"${dv}"` : dv}`);
  }
  if (f.deprecated) o.push('deprecated = true');
  if (f.proto.options && isFieldSet(f.proto.options, FieldOptionsSchema.field.packed)) o.push(`packed = ${f.proto.options.packed}`);
  return o.length ? ` [${o.join(', ')}]` : '';
}

function defaultJsonName(name: string): string {
  return name.replace(/_+([a-z0-9])?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''));
}

function fieldLine(f: DescField | DescExtension, indent: string, proto3: boolean): string {
  let decl: string;
  if (f.fieldKind === 'map') {
    const v = f.mapKind === 'scalar' ? SCALAR_NAMES[f.scalar] : f.mapKind === 'enum' ? f.enum.typeName : f.message.typeName;
    decl = `map<${SCALAR_NAMES[f.mapKey]}, ${v}>`;
  } else if (f.fieldKind === 'list') {
    decl = `repeated ${typeName({fieldKind: f.listKind, scalar: f.scalar, message: f.message, enum: f.enum})}`;
  } else {
    const label = f.proto.label === 2 ? 'required ' : !proto3 && f.proto.label === 1 && !f.oneof ? 'optional ' : proto3 && f.proto.proto3Optional ? 'optional ' : '';
    decl = `${label}${typeName(f)}`;
  }
  return `${comments(f, indent)}${indent}${decl} ${f.name} = ${f.number}${fieldOptions(f)};\n`;
}

function enumText(e: DescEnum, indent: string): string {
  let s = `${comments(e, indent)}${indent}enum ${e.name} {\n`;
  if (e.proto.options?.allowAlias) s += `${indent}  option allow_alias = true;\n`;
  for (const v of e.values) s += `${comments(v, `${indent}  `)}${indent}  ${v.name} = ${v.number}${v.deprecated ? ' [deprecated = true]' : ''};\n`;
  return `${s}${indent}}\n`;
}

function reserved(m: DescMessage, indent: string): string {
  const ranges = m.proto.reservedRange.map((r) => (r.end - 1 === r.start ? `${r.start}` : `${r.start} to ${r.end - 1 >= 536870911 ? 'max' : r.end - 1}`));
  let s = ranges.length ? `${indent}reserved ${ranges.join(', ')};\n` : '';
  if (m.proto.reservedName.length) s += `${indent}reserved ${m.proto.reservedName.map((n) => `"${n}"`).join(', ')};\n`;
  return s;
}

function messageText(m: DescMessage, indent: string): string {
  const proto3 = m.file.proto.syntax === 'proto3';
  let s = `${comments(m, indent)}${indent}message ${m.name} {\n`;
  const inner = `${indent}  `;
  if (m.deprecated) s += `${inner}option deprecated = true;\n`;
  const printedOneofs = new Set<DescOneof>();
  for (const f of m.fields) {
    if (f.oneof && !f.proto.proto3Optional) {
      if (printedOneofs.has(f.oneof)) continue;
      printedOneofs.add(f.oneof);
      s += `${comments(f.oneof, inner)}${inner}oneof ${f.oneof.name} {\n`;
      for (const of of f.oneof.fields) s += fieldLine(of, `${inner}  `, true);
      s += `${inner}}\n`;
    } else s += fieldLine(f, inner, proto3);
  }
  for (const r of m.proto.extensionRange) s += `${inner}extensions ${r.start} to ${r.end - 1 >= 536870911 ? 'max' : r.end - 1};\n`;
  s += reserved(m, inner);
  for (const n of m.nestedMessages) if (!n.proto.options?.mapEntry) s += messageText(n, inner);
  for (const e of m.nestedEnums) s += enumText(e, inner);
  s += extensionsText(m.nestedExtensions, inner, proto3);
  return `${s}${indent}}\n`;
}

function methodText(m: DescMethod, indent: string): string {
  const cs = m.methodKind === 'client_streaming' || m.methodKind === 'bidi_streaming' ? 'stream ' : '';
  const ss = m.methodKind === 'server_streaming' || m.methodKind === 'bidi_streaming' ? 'stream ' : '';
  return `${comments(m, indent)}${indent}rpc ${m.name}(${cs}${m.input.typeName}) returns (${ss}${m.output.typeName})${m.deprecated ? ' {\n' + indent + '  option deprecated = true;\n' + indent + '}' : ';'}\n`;
}

function serviceText(s: DescService, indent: string): string {
  return `${comments(s, indent)}${indent}service ${s.name} {\n${s.methods.map((m) => methodText(m, `${indent}  `)).join('')}${indent}}\n`;
}

function extensionsText(exts: DescExtension[], indent: string, proto3: boolean): string {
  const byExtendee = new Map<string, DescExtension[]>();
  for (const x of exts) byExtendee.set(x.extendee.typeName, [...(byExtendee.get(x.extendee.typeName) ?? []), x]);
  return [...byExtendee].map(([t, xs]) => `${indent}extend ${t} {\n${xs.map((x) => fieldLine(x, `${indent}  `, proto3)).join('')}${indent}}\n`).join('');
}

function fileText(f: DescFile): string {
  const p = f.proto;
  let s = p.syntax === 'editions' ? `edition = "${p.edition === 1000 ? 2023 : 2024}";\n` : `syntax = "${p.syntax || 'proto2'}";\n`;
  if (p.package) s += `\npackage ${p.package};\n`;
  if (p.dependency.length) s += '\n' + p.dependency.map((d, i) => `import ${p.publicDependency.includes(i) ? 'public ' : p.weakDependency.includes(i) ? 'weak ' : ''}"${d}";\n`).join('');
  const opts = p.options ? Object.entries(p.options).filter(([k, v]) => k !== '$typeName' && k !== 'uninterpretedOption' && v !== undefined && typeof v !== 'object') : [];
  if (opts.length) {
    s += '\n' + opts.map(([k, v]) => `option ${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} = ${typeof v === 'string' ? JSON.stringify(v) : String(v)};\n`).join('');
  }
  for (const m of f.messages) s += `\n${messageText(m, '')}`;
  for (const e of f.enums) s += `\n${enumText(e, '')}`;
  for (const sv of f.services) s += `\n${serviceText(sv, '')}`;
  if (f.extensions.length) s += `\n${extensionsText(f.extensions, '', p.syntax === 'proto3')}`;
  return s;
}

/** Proto source text for a descriptor: a whole file, a service, method, message, enum, field or enum value. */
export function protoText(d: Describable): string {
  switch (d.kind) {
    case 'file': return fileText(d);
    case 'service': return serviceText(d, '');
    case 'rpc': return methodText(d, '');
    case 'message': return messageText(d, '');
    case 'enum': return enumText(d, '');
    case 'field': return fieldLine(d, '', d.parent.file.proto.syntax === 'proto3');
    case 'extension': return extensionsText([d], '', d.file.proto.syntax === 'proto3');
    case 'enum_value': return `${comments(d, '')}${d.name} = ${d.number};\n`;
  }
}

/** "a service", "a message", ... for `dial describe` headers. */
export function kindName(d: Describable): string {
  return {file: 'a file', service: 'a service', rpc: 'a method', message: 'a message', enum: 'an enum', field: 'a field', extension: 'an extension', enum_value: 'an enum value'}[d.kind];
}
