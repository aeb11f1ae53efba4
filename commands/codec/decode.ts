import {commandStdin} from '../../src/cli/stdin.js';
import {Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import {codecFlags} from '../../src/cli/flags.js';
import {codecSchemaFiles} from '../../src/cli/schema-flags.js';
import {readValueInput} from '../../src/cli/value-input.js';
import type {JsonValue} from '../../src/codecs/index.js';

export default class CodecDecode extends DialCommand {
  static override summary = 'Decode wire bytes into JSON';
  static override description = `Reads bytes of --codec and prints them as JSON. The bytes come from -d (inline hex by default), -d @FILE or stdin (raw bytes by default); --in says how they are written. --codec java reads a Java serialization stream (ObjectOutputStream) into a JSON tree without instantiating anything.`;
  static override examples = [
    {description: 'Protobuf bytes given as hex', command: '<%= config.bin %> codec decode --codec protobuf --schema proto/helloworld/helloworld.proto --type HelloRequest -d 0a036164611003'},
    {description: 'A file of raw MessagePack', command: '<%= config.bin %> codec decode --codec msgpack -d @msg.bin'},
    {description: 'What a Java service sent (raw bytes on stdin)', command: '<%= config.bin %> codec decode --codec java < test/fixtures/java/point.ser'},
  ];
  static override flags = {
    ...codecFlags,
    data: Flags.string({char: 'd', description: 'The bytes: inline text, @FILE, or @- for stdin (default: stdin)'}),
    in: Flags.string({description: 'How the input is written (default: hex inline, raw for @FILE and stdin)', options: ['hex', 'base64', 'raw']}),
  };

  async run(): Promise<JsonValue> {
    const {flags} = await this.parse(CodecDecode);
    const {loadCodec, parseBytes} = await import('../../src/codecs/index.js');
    const fromFile = flags.data === undefined || flags.data.startsWith('@');
    const input = await readValueInput(flags.data === '@-' ? '-' : flags.data, commandStdin());
    const bytes = parseBytes(input, (flags.in ?? (fromFile ? 'raw' : 'hex')) as 'hex' | 'base64' | 'raw');
    const codec = await loadCodec(flags.codec);
    const files = codecSchemaFiles(flags, codec.name);
    const bound = await codec.bind(files?.file ? {...files, file: files.file, type: flags.type} : flags.type ? {file: '', type: flags.type} : undefined);
    const value = bound.decode(bytes);
    if (!this.jsonEnabled()) this.out.line(JSON.stringify(value, null, 2));
    return value;
  }
}
