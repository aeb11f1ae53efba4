import {readFile} from 'node:fs/promises';
import avro from 'avsc';
import {DialError, ExitCode} from '../errors/index.js';
import {didYouMean} from '../util/index.js';
import {defineCodec, type CodecSchema, type JsonValue} from './types.js';

/**
 * Avro binary (avsc), schema .avsc. JSON is Avro's JSON encoding (as
 * avro-tools fromjson/tojson): a union value other than null is
 * {"type": value}, bytes and fixed are strings of \\u00XX code points;
 * longs must fit a double exactly (avsc's default long type).
 */
export const avroCodec = defineCodec({
  name: 'avro',
  mimeType: 'avro/binary',
  description: 'Avro binary (avsc), schema .avsc',
  schemaExtensions: ['.avsc'],
  async bind(schema?: CodecSchema) {
    if (!schema?.file) throw new DialError('SCHEMA_REQUIRED', 'avro needs --schema FILE.avsc (and --type NAME when it defines several)', {exitCode: ExitCode.Usage});
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(schema.file, 'utf8'));
    } catch (e) {
      throw new DialError('BAD_SCHEMA', `${schema.file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, {exitCode: ExitCode.Usage});
    }
    const registry: Record<string, avro.Type> = {};
    let top: avro.Type;
    try {
      top = avro.Type.forSchema(parsed as avro.Schema, {registry, wrapUnions: true});
    } catch (e) {
      throw new DialError('BAD_SCHEMA', `${schema.file}: ${(e as Error).message}`, {exitCode: ExitCode.Usage});
    }
    let type = top;
    if (schema.type) {
      const names = Object.keys(registry);
      const name = names.find((n) => n === schema.type) ?? names.find((n) => n.endsWith(`.${schema.type}`));
      if (!name) throw new DialError('UNKNOWN_TYPE', `no type '${schema.type}' in ${schema.file}${didYouMean(schema.type, names)}`, {hint: `types: ${names.join(', ')}`, exitCode: ExitCode.Usage});
      type = registry[name];
    }
    return {
      type: type.name ?? type.typeName,
      encode(json) {
        let value: unknown;
        try {
          value = type.fromString(JSON.stringify(json));
        } catch (e) {
          throw new DialError('BAD_REQUEST_DATA', `the JSON does not fit ${type.name ?? type.typeName}: ${(e as Error).message}`, {hint: 'Avro JSON: unions as {"type": value}', exitCode: ExitCode.Usage});
        }
        return type.toBuffer(value);
      },
      decode(bytes) {
        try {
          return JSON.parse(type.toString(type.fromBuffer(Buffer.from(bytes)))) as JsonValue;
        } catch (e) {
          throw new DialError('BAD_ENCODING', `the input is not an Avro ${type.name ?? type.typeName}: ${(e as Error).message}`, {hint: 'check --codec and --type', exitCode: ExitCode.Usage});
        }
      },
    };
  },
});
