import {isUtf8} from 'node:buffer';
import {DialError, ExitCode, usageError} from '../../errors/index.js';

/** How message values are written and read: text as is, or a `dial codec` (--codec/--schema/--type). */
export interface ValueCodec {
  /** The codec's name, undefined for plain text/JSON. */
  readonly name?: string;
  /** A value from the command line (-d) into bytes; a usage error when it does not fit the schema. */
  encode(text: string): Buffer;
  /** Received bytes for printing: `value` for --json (decoded JSON, or text, or base64), `text` for a line. */
  decode(bytes: Buffer): {value: unknown; text: string; encoding?: 'base64'; error?: string};
  /** The bytes of decode(bytes).text when they are those bytes already (text: valid UTF-8 without a BOM), so they can be printed as they are. */
  asLine?(bytes: Buffer): Buffer | undefined;
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

function asText(bytes: Buffer): {value: unknown; text: string; encoding?: 'base64'} {
  try {
    const text = utf8.decode(bytes);
    return {value: text, text};
  } catch {
    const b64 = bytes.toString('base64');
    return {value: b64, text: `base64:${b64}`, encoding: 'base64'};
  }
}

/** The value codec of the flags: none (text), or a codec of src/codecs bound to --schema/--type once. */
export async function valueCodec(f: {codec?: string; schema?: string; type?: string}): Promise<ValueCodec> {
  if (!f.codec) {
    if (f.schema || f.type) throw usageError('--schema and --type need --codec', 'e.g. --codec protobuf --schema greeter.proto --type HelloRequest');
    // TextDecoder drops a leading BOM, so such a value is printed through decode
    const asLine = (b: Buffer) => (isUtf8(b) && !(b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) ? b : undefined);
    return {encode: (text) => Buffer.from(text, 'utf8'), decode: asText, asLine};
  }
  const {loadCodec} = await import('../../codecs/index.js');
  const codec = await loadCodec(f.codec);
  const bound = await codec.bind(f.schema ? {file: f.schema, type: f.type} : f.type ? {file: '', type: f.type} : undefined);
  const what = `${codec.name}${bound.type ? ` ${bound.type}` : ''}`;
  return {
    name: codec.name,
    encode(text) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw usageError(`--codec ${codec.name} takes JSON values; '${text.length > 60 ? `${text.slice(0, 60)}...` : text}' is not JSON (${(e as Error).message})`, 'pass -d \'{"field":"value"}\'');
      }
      try {
        return Buffer.from(bound.encode(json));
      } catch (e) {
        throw new DialError('VALUE_MISMATCH', `the value does not fit ${what}${f.schema ? ` of ${f.schema}` : ''}: ${(e as Error).message}`, {
          hint: 'compare the value with the schema (dial codec encode shows the same check)', exitCode: ExitCode.Usage, cause: e,
        });
      }
    },
    decode(bytes) {
      try {
        const value = bound.decode(bytes);
        return {value, text: JSON.stringify(value)};
      } catch (e) {
        return {...asText(bytes), error: `not ${what}: ${(e as Error).message}`};
      }
    },
  };
}
