import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';
import {parseHeaderFlags} from '../src/cli/headers.js';
import {connectionFlags, reflectionHeaderFlag, schemaFlags} from '../src/cli/rpc-flags.js';
import {schemaFiles, targetAndName, transportOptions} from '../src/cli/rpc-options.js';
import type {Description} from '../src/rpc/inspect.js';
import type {SoapDescription} from '../src/rpc/protocols/index.js';
import {thriftIdl} from '../src/cli/schema-flags.js';
import type {ThriftDescription} from '../src/rpc/thrift/index.js';

export default class Describe extends DialCommand {
  static override summary = 'Show a gRPC service, method, message or enum as proto text (or a SOAP service\'s operations)';
  static override description = 'Looks SYMBOL up by server reflection (or in --proto/--protoset files) and prints it as proto source: services with their methods, messages with every field, oneof, map and nested type, enums with their values. Short names work when unique (Greeter, HelloRequest); a method can be written pkg.Service/Method. Without SYMBOL, every service. --json gives each symbol\'s descriptor (DescriptorProto, ServiceDescriptorProto, ...) as JSON. With --schema FILE.thrift, a definition of the Thrift IDL as IDL text: services, functions (Service.method), structs, unions, exceptions, enums, typedefs, consts (includes beside the file or under -I).';
  static override examples = [
    {description: 'A service through the registry', command: '<%= config.bin %> describe greeter helloworld.Greeter'},
    {description: 'A message, by its short name', command: '<%= config.bin %> describe showcase Everything'},
    {description: 'A method\'s descriptor as JSON', command: '<%= config.bin %> describe showcase showcase.v1.Showcase/Chat --json'},
    {description: 'From a .proto file, no server needed', command: '<%= config.bin %> describe --proto proto/helloworld/helloworld.proto helloworld.HelloRequest'},
    {description: 'A Thrift struct (or service, Service.method, enum, exception) from its IDL', command: '<%= config.bin %> describe --schema proto/helloworld/helloworld.thrift HelloRequest'},
    {description: 'A SOAP service: the operations of its WSDL (from the instance, or --wsdl FILE|URL)', command: '<%= config.bin %> describe greeter --protocol soap'},
    {description: 'A .proto file found under an import path, no server needed', command: '<%= config.bin %> describe --schema helloworld/helloworld.proto -I proto HelloRequest'},
  ];
  static override args = {
    target: Args.string({description: 'Service name from the registry, HOST:PORT, unix:PATH, or an http(s):// URL (reflection over it; a SOAP endpoint or WSDL URL) (optional with --proto/--schema/--protoset)'}),
    symbol: Args.string({description: 'pkg.Service, pkg.Service/Method, pkg.Message, pkg.Enum, a field, or a file name; short names when unique'}),
  };
  static override flags = {
    ...registryFlags,
    ...schemaFlags,
    ...connectionFlags,
    protocol: Flags.string({description: 'soap: list the operations of the service\'s WSDL instead of gRPC symbols', options: ['grpc', 'soap']}),
    wsdl: Flags.string({description: 'SOAP: the WSDL, a file or URL (default: the instance\'s registry metadata); implies --protocol soap'}),
    ...reflectionHeaderFlag,
  };

  async run(): Promise<{symbols: Description[] | ThriftDescription[]} | SoapDescription> {
    const {args, flags} = await this.parse(Describe);
    const idl = thriftIdl(flags);
    if (idl.schema) {
      const {name: symbol} = targetAndName(args.target, args.symbol, {}, flags.unix);
      const {describeThrift} = await import('../src/rpc/thrift/inspect.js');
      const symbols = await describeThrift({schema: idl.schema, importPaths: idl.importPaths, symbol});
      const c = this.out.color;
      if (!this.jsonEnabled()) this.out.line(symbols.map((d) => `${c.bold(d.symbol)} is ${/^[aeiou]/.test(d.kind) ? 'an' : 'a'} ${d.kind} (${d.file}):\n${d.text}`).join('\n'));
      return {symbols};
    }
    // A URL that asks for ?wsdl names a SOAP service's WSDL.
    if (flags.protocol === 'soap' || flags.wsdl || /^https?:\/\/[^?]*\?wsdl$/i.test(args.target ?? '')) {
      schemaFiles(flags, 'describe', 'soap');
      const [{describeSoap}, {renderSoapDescription}] = await Promise.all([import('../src/rpc/protocols/soap-describe.js'), import('../src/cli/render/soap-describe.js')]);
      const d = await describeSoap({
        target: args.target, symbol: args.symbol, http: {wsdl: flags.wsdl}, transport: transportOptions(flags, `dial/${this.config.version}`),
        registry: () => this.openRegistry({url: flags.registry, token: flags.token}), signal: this.signal,
      });
      if (!this.jsonEnabled()) this.out.line(renderSoapDescription(this.out, d));
      return d;
    }
    const schema = schemaFiles(flags, 'describe');
    const {target, name: symbol} = targetAndName(args.target, args.symbol, schema, flags.unix);
    const {describeSchema} = await import('../src/rpc/inspect.js');
    const symbols = await describeSchema({
      target, symbol, schema, unix: flags.unix, headers: parseHeaderFlags(flags.header), transport: transportOptions(flags, `dial/${this.config.version}`),
      registry: () => this.openRegistry({url: flags.registry, token: flags.token}), signal: this.signal,
    });
    const c = this.out.color;
    if (!this.jsonEnabled()) this.out.line(symbols.map((d) => `${c.bold(d.symbol)} is ${/^[aeiou]/.test(d.kind) ? 'an' : 'a'} ${d.kind} (${d.file}):\n${d.text}`).join('\n'));
    return {symbols};
  }
}
