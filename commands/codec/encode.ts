import {commandStdin} from '../../src/cli/stdin.js';
import {Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import {codecFlags} from '../../src/cli/flags.js';
import {codecSchemaFiles} from '../../src/cli/schema-flags.js';

export interface EncodeResult {
  codec: string;
  type?: string;
  size: number;
  format: 'hex' | 'base64';
  data: string;
}

export default class CodecEncode extends DialCommand {
  static override summary = 'Encode a JSON message into a wire format';
  static override description = `Turns the JSON in -d into the bytes of --codec (with --schema and --type for protobuf, thrift and avro) and prints them as hex (default), base64, or raw bytes (--out raw, for a file or a pipe). Under --json the bytes are hex or base64 in "data".`;
  static override examples = [
    {description: 'Protobuf with a .proto schema', command: `<%= config.bin %> codec encode --codec protobuf --schema proto/helloworld/helloworld.proto --type HelloRequest -d '{"name":"ada","count":3}'`},
    {description: 'MessagePack, base64', command: `<%= config.bin %> codec encode --codec msgpack -d '{"name":"ada"}' --out base64`},
    {description: 'Raw bytes into a file', command: `<%= config.bin %> codec encode --codec msgpack -d '{"name":"ada"}' --out raw > msg.bin`},
  ];
  static override flags = {
    ...codecFlags,
    data: Flags.string({char: 'd', description: 'The JSON message, @FILE, or @- for stdin', required: true}),
    out: Flags.string({description: 'How to print the bytes', options: ['hex', 'base64', 'raw'], default: 'hex'}),
  };

  async run(): Promise<EncodeResult> {
    const {flags} = await this.parse(CodecEncode);
    const [{loadCodec, formatBytes}, {loadRequestData}] = await Promise.all([import('../../src/codecs/index.js'), import('../../src/rpc/request-data.js')]);
    const messages = await loadRequestData(flags.data, commandStdin());
    if (messages.length !== 1) this.error(`-d holds ${messages.length} JSON values; encode takes one`, {exit: 2});
    const codec = await loadCodec(flags.codec);
    const files = codecSchemaFiles(flags, codec.name);
    const bound = await codec.bind(files?.file ? {...files, file: files.file, type: flags.type} : flags.type ? {file: '', type: flags.type} : undefined);
    const bytes = bound.encode(messages[0]);
    const format = flags.out === 'base64' || (flags.out === 'raw' && this.jsonEnabled()) ? 'base64' : 'hex';
    if (!this.jsonEnabled()) {
      if (flags.out === 'raw') process.stdout.write(bytes);
      else this.out.line(formatBytes(bytes, format) as string);
    }
    return {codec: codec.name, ...(bound.type ? {type: bound.type} : {}), size: bytes.length, format, data: formatBytes(bytes, format) as string};
  }
}
