import {Packr} from 'msgpackr';
import {DialError, ExitCode} from '../errors/index.js';
import {toJsonValue} from './json-value.js';
import {defineCodec} from './types.js';

/** MessagePack (msgpackr), no schema: JSON maps become msgpack maps, integers the smallest int type. */
export const msgpackCodec = defineCodec({
  name: 'msgpack',
  mimeType: 'application/msgpack',
  description: 'MessagePack (msgpackr), no schema',
  schemaExtensions: [],
  async bind() {
    // Plain MessagePack: no records extension (other implementations could not read it), maps as objects.
    const packr = new Packr({useRecords: false, mapsAsObjects: true, variableMapSize: true, int64AsType: 'bigint'});
    return {
      encode: (json) => packr.pack(json),
      decode(bytes) {
        try {
          return toJsonValue(packr.unpack(bytes));
        } catch (e) {
          throw new DialError('BAD_ENCODING', `the input is not MessagePack: ${(e as Error).message}`, {
            hint: 'pick the codec that wrote the bytes with --codec', exitCode: ExitCode.Usage,
          });
        }
      },
    };
  },
});
