import {commandStdin} from '../../src/cli/stdin.js';
import {Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import {compareSchemaFiles, schemaFlags} from '../../src/cli/schema-flags.js';
import type {CompareResult} from '../../src/codecs/index.js';

export default class CodecCompare extends DialCommand {
  static override summary = 'Encode one message in every codec and compare sizes and speed';
  static override description = `Encodes the JSON in -d with every codec that can carry it (json, msgpack and xml-rpc always; protobuf, thrift-binary, thrift-compact and avro for each --schema of theirs, using the same --type name) and prints a table of sizes and mean encode/decode times.`;
  static override examples = [
    {description: 'The greeter request in every codec', command: `<%= config.bin %> codec compare -d '{"name":"ada","count":3}' --type HelloRequest --schema proto/helloworld/helloworld.proto --schema proto/helloworld/helloworld.thrift --schema proto/helloworld/helloworld.avsc`},
  ];
  static override flags = {
    data: Flags.string({char: 'd', description: 'The JSON message, @FILE, or @- for stdin', required: true}),
    ...schemaFlags,
    type: Flags.string({description: 'The message / struct / record name, the same in each schema'}),
    iterations: Flags.integer({description: 'Encodes and decodes timed per codec (at most; about 0.3 s each)', default: 2000, min: 1, max: 1_000_000}),
  };

  async run(): Promise<CompareResult> {
    const {flags} = await this.parse(CodecCompare);
    const [{compareCodecs}, {loadRequestData}] = await Promise.all([import('../../src/codecs/index.js'), import('../../src/rpc/request-data.js')]);
    const messages = await loadRequestData(flags.data, commandStdin());
    if (messages.length !== 1) this.error(`-d holds ${messages.length} JSON values; compare takes one`, {exit: 2});
    const {files, importPaths} = compareSchemaFiles(flags);
    const result = await compareCodecs({message: messages[0], schemas: files, importPaths, type: flags.type, iterations: flags.iterations});
    if (!this.jsonEnabled()) {
      const {renderCompare} = await import('../../src/cli/render/codec-compare.js');
      this.out.line(renderCompare(this.out, result));
    }
    return result;
  }
}
