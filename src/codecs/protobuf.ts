import protobuf from 'protobufjs';
import {DialError, ExitCode} from '../errors/index.js';
import {didYouMean} from '../util/index.js';
import {defineCodec, type CodecSchema, type JsonValue} from './types.js';

function findType(root: protobuf.Root, name: string, file: string): protobuf.Type {
  const all: protobuf.Type[] = [];
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const o of ns.nestedArray) {
      if (o instanceof protobuf.Type) all.push(o);
      if (o instanceof protobuf.Namespace || o instanceof protobuf.Type) walk(o);
    }
  };
  walk(root);
  const full = (t: protobuf.Type) => t.fullName.replace(/^\./, '');
  const exact = all.find((t) => full(t) === name.replace(/^\./, ''));
  const matches = exact ? [exact] : all.filter((t) => full(t).endsWith(`.${name}`) || t.name === name);
  if (matches.length === 1) return matches[0];
  const names = all.map(full).filter((n) => !n.startsWith('google.protobuf.'));
  if (matches.length > 1) throw new DialError('AMBIGUOUS_TYPE', `'${name}' matches ${matches.map(full).join(', ')} in ${file}`, {hint: 'give the full name', exitCode: ExitCode.Usage});
  throw new DialError('UNKNOWN_TYPE', `no message '${name}' in ${file}${didYouMean(name, names)}`, {hint: `messages: ${names.join(', ') || '(none)'}`, exitCode: ExitCode.Usage});
}

/** Unknown JSON fields would be dropped silently by fromObject: name them instead. */
function checkFields(type: protobuf.Type, v: unknown, path: string): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
  if (type.fullName.startsWith('.google.protobuf.')) return;
  for (const [k, x] of Object.entries(v)) {
    const field = type.fields[k] ?? type.fieldsArray.find((f) => f.name === k);
    if (!field) {
      throw new DialError('BAD_REQUEST_DATA', `${path}: ${type.name} has no field '${k}'`, {hint: `fields: ${type.fieldsArray.map((f) => f.name).join(', ')}`, exitCode: ExitCode.Usage});
    }
    const rt = field.resolve().resolvedType;
    if (rt instanceof protobuf.Type && !field.map) {
      if (field.repeated && Array.isArray(x)) x.forEach((e, i) => checkFields(rt, e, `${path}.${k}[${i}]`));
      else checkFields(rt, x, `${path}.${k}`);
    }
  }
}

/** Protocol Buffers (protobufjs): .proto schema, proto3 JSON field names, int64 as strings, enums by name, bytes base64. */
export const protobufCodec = defineCodec({
  name: 'protobuf',
  mimeType: 'application/x-protobuf',
  description: 'Protocol Buffers binary (protobufjs), schema .proto',
  schemaExtensions: ['.proto'],
  async bind(schema?: CodecSchema) {
    if (!schema?.file || !schema.type) throw new DialError('SCHEMA_REQUIRED', 'protobuf needs --schema FILE.proto and --type MESSAGE', {exitCode: ExitCode.Usage});
    let root: protobuf.Root;
    try {
      root = await protobuf.load(schema.file);
    } catch (e) {
      throw new DialError('BAD_SCHEMA', `${schema.file}: ${(e as Error).message}`, {hint: 'check the .proto file and its imports', exitCode: ExitCode.Usage});
    }
    const type = findType(root, schema.type, schema.file);
    return {
      type: type.fullName.replace(/^\./, ''),
      encode(json) {
        checkFields(type, json, '$');
        const err = type.verify(type.fromObject(json as Record<string, unknown>));
        if (err) throw new DialError('BAD_REQUEST_DATA', `the JSON does not fit ${type.name}: ${err}`, {exitCode: ExitCode.Usage});
        return type.encode(type.fromObject(json as Record<string, unknown>)).finish();
      },
      decode(bytes) {
        try {
          return type.toObject(type.decode(bytes), {longs: String, enums: String, bytes: String, json: true}) as JsonValue;
        } catch (e) {
          throw new DialError('BAD_ENCODING', `the input is not a protobuf ${type.name}: ${(e as Error).message}`, {hint: 'check --codec and --type', exitCode: ExitCode.Usage});
        }
      },
    };
  },
});
