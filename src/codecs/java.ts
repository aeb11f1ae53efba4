import {DialError, ExitCode} from '../errors/index.js';
import {readJavaStream} from './java-stream.js';
import {defineCodec} from './types.js';

/**
 * Java serialization (ObjectOutputStream), read-only: a stream becomes a JSON
 * tree (one item, or an array when the stream holds several). Nothing is
 * instantiated; dial never writes Java serialization.
 */
export const javaCodec = defineCodec({
  name: 'java',
  mimeType: 'application/x-java-serialized-object',
  description: 'Java serialization stream, decode only (never instantiates)',
  schemaExtensions: [],
  async bind() {
    return {
      encode() {
        throw new DialError('DECODE_ONLY', 'the java codec only decodes: dial never writes Java serialization streams', {
          hint: "use 'dial codec decode --codec java' to inspect a stream", exitCode: ExitCode.Usage,
        });
      },
      decode(bytes) {
        const items = readJavaStream(bytes);
        return items.length === 1 ? items[0] : items;
      },
    };
  },
});
