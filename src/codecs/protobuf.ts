import {dirname, resolve} from 'node:path';
import {fromBinary, fromJson, toBinary, toJson, type DescMessage, type FileRegistry} from '@bufbuild/protobuf';
import {DialError, ExitCode} from '../errors/index.js';
import {didYouMean} from '../util/index.js';
import {defineCodec, type CodecSchema, type JsonValue} from './types.js';

function findType(registry: FileRegistry, name: string, file: string): DescMessage {
  const all: DescMessage[] = [];
  for (const t of registry) if (t.kind === 'message') all.push(t);
  const wanted = name.replace(/^\./, '');
  const exact = all.find((t) => t.typeName === wanted);
  const matches = exact ? [exact] : all.filter((t) => t.typeName.endsWith(`.${wanted}`) || t.name === wanted);
  if (matches.length === 1) return matches[0];
  const names = all.map((t) => t.typeName).filter((n) => !n.startsWith('google.protobuf.'));
  if (matches.length > 1) throw new DialError('AMBIGUOUS_TYPE', `'${name}' matches ${matches.map((t) => t.typeName).join(', ')} in ${file}`, {hint: 'give the full name', exitCode: ExitCode.Usage});
  throw new DialError('UNKNOWN_TYPE', `no message '${name}' in ${file}${didYouMean(name, names)}`, {hint: `messages: ${names.join(', ') || '(none)'}`, exitCode: ExitCode.Usage});
}

const PROTOSET = /\.(protoset|binpb|pb|desc)$/i;

/**
 * The schema compiled as `dial call --proto/--protoset` does: .proto files
 * (imports from -I, else from the file's folder and the folders above it)
 * and descriptor sets.
 */
async function loadSchema(schema: CodecSchema): Promise<FileRegistry> {
  const {FileSource} = await import('../rpc/file-source.js');
  const protoFiles = schema.protoFiles ?? (PROTOSET.test(schema.file) ? [] : [schema.file]);
  const protosets = schema.protosets ?? (PROTOSET.test(schema.file) ? [schema.file] : []);
  const dirs: string[] = [];
  if (schema.importPaths?.length) dirs.push(...schema.importPaths);
  else for (let d = dirname(resolve(protoFiles[0] ?? '.')); dirs.length < 8 && !dirs.includes(d); d = dirname(d)) dirs.push(d);
  const source = await FileSource.load({protoFiles, importPaths: dirs, protosets});
  return source.registryFor([]);
}

/** "cannot decode message pkg.T from JSON: key "x" is unknown" -> "T has no field 'x'". */
function jsonProblem(e: unknown): string {
  const text = (e as Error).message;
  const unknown = /cannot decode message (?:[\w]+\.)*(\w+) from JSON: key "([^"]*)" is unknown/.exec(text);
  return unknown ? `${unknown[1]} has no field '${unknown[2]}'` : text.replace(/^cannot decode message [\w.]+ from JSON: /, '');
}

/**
 * Protocol Buffers with the proto3 JSON mapping `dial call` uses
 * (@bufbuild/protobuf fromJson/toJson with the schema's registry): int64 as
 * strings, enums by name, bytes base64, and the well-known types (Timestamp,
 * Duration, Struct, Value, FieldMask, wrappers, Any) in their JSON forms.
 */
export const protobufCodec = defineCodec({
  name: 'protobuf',
  mimeType: 'application/x-protobuf',
  description: 'Protocol Buffers binary (proto3 JSON mapping as in dial call), schema .proto',
  schemaExtensions: ['.proto'],
  async bind(schema?: CodecSchema) {
    if (!schema?.file || !schema.type) throw new DialError('SCHEMA_REQUIRED', 'protobuf needs --schema FILE.proto (or --protoset FILE) and --type MESSAGE', {exitCode: ExitCode.Usage});
    const registry = await loadSchema(schema);
    const type = findType(registry, schema.type, schema.file);
    return {
      type: type.typeName,
      encode(json) {
        try {
          return toBinary(type, fromJson(type, json as JsonValue, {registry}));
        } catch (e) {
          throw new DialError('BAD_REQUEST_DATA', `the JSON does not fit ${type.typeName}: ${jsonProblem(e)}`, {
            hint: `fields of ${type.typeName}: ${type.fields.map((f) => f.jsonName).join(', ') || '(none)'}`,
            exitCode: ExitCode.Usage,
          });
        }
      },
      decode(bytes) {
        try {
          return toJson(type, fromBinary(type, bytes), {registry});
        } catch (e) {
          throw new DialError('BAD_ENCODING', `the input is not a protobuf ${type.typeName}: ${(e as Error).message}`, {hint: 'check --codec and --type', exitCode: ExitCode.Usage});
        }
      },
    };
  },
});
