import {usageError} from '../errors/index.js';
import {defineCodec, type JsonValue} from './types.js';

/** UTF-8 JSON text, compact. */
export const jsonCodec = defineCodec({
  name: 'json',
  mimeType: 'application/json',
  description: 'JSON text (UTF-8), no schema',
  schemaExtensions: [],
  async bind() {
    return {
      encode: (json) => Buffer.from(JSON.stringify(json) ?? 'null', 'utf8'),
      decode(bytes) {
        const text = Buffer.from(bytes).toString('utf8');
        try {
          return JSON.parse(text) as JsonValue;
        } catch (e) {
          throw usageError(`the input is not JSON: ${(e as Error).message}`, 'pick the codec that wrote the bytes with --codec');
        }
      },
    };
  },
});
