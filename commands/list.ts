import {Args} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';
import {parseHeaderFlags} from '../src/cli/headers.js';
import {connectionFlags, reflectionHeaderFlag, schemaFlags} from '../src/cli/rpc-flags.js';
import {schemaFiles, targetAndName, transportOptions} from '../src/cli/rpc-options.js';
import {thriftIdl} from '../src/cli/schema-flags.js';
import type {ListResult} from '../src/rpc/inspect.js';
import type {ThriftListResult} from '../src/rpc/thrift/index.js';

export default class List extends DialCommand {
  static override summary = 'List the gRPC services of a target, or the methods of one service';
  static override description = 'Asks the server by reflection (v1, falling back to v1alpha), or reads --proto/--protoset files (then TARGET may be left out). Methods print as pkg.Service/Method, the form dial call takes, with their kind and message types. With --schema FILE.thrift, the services of the Thrift IDL (includes beside it or under -I), or the functions of one as Service.method with their parameters, return type and exceptions; no server is asked.';
  static override examples = [
    {description: 'Services of the demo greeter (through the registry)', command: '<%= config.bin %> list greeter'},
    {description: 'Methods of a service (short names work)', command: '<%= config.bin %> list showcase Showcase'},
    {description: 'Services in a .proto file, no server needed', command: '<%= config.bin %> list --proto proto/helloworld/helloworld.proto'},
    {description: 'By reflection over a URL (http: plaintext; https: TLS with the system roots plus --cacert)', command: '<%= config.bin %> list http://$(<%= config.bin %> discover showcase --format addrs | head -1)'},
    {description: 'The functions of a Thrift service, from its IDL', command: '<%= config.bin %> list --schema proto/helloworld/helloworld.thrift Greeter'},
  ];
  static override args = {
    target: Args.string({description: 'Service name from the registry, HOST:PORT, unix:PATH, or an http(s):// URL (optional with --proto/--schema/--protoset)'}),
    service: Args.string({description: 'A service whose methods to list'}),
  };
  static override flags = {
    ...registryFlags,
    ...schemaFlags,
    ...connectionFlags,
    ...reflectionHeaderFlag,
  };

  async run(): Promise<ListResult | ThriftListResult> {
    const {args, flags} = await this.parse(List);
    const idl = thriftIdl(flags);
    if (idl.schema) {
      const {name: service} = targetAndName(args.target, args.service, {}, flags.unix);
      const {listThrift} = await import('../src/rpc/thrift/inspect.js');
      const result = await listThrift({schema: idl.schema, importPaths: idl.importPaths, service});
      if (this.jsonEnabled()) return result;
      if (result.services) for (const s of result.services) this.out.line(s);
      if (result.methods) this.log(this.out.table(['METHOD', 'KIND', 'SIGNATURE'], result.methods.map((m) => [this.out.color.bold(m.fullName), m.kind, m.signature])));
      return result;
    }
    const schema = schemaFiles(flags, 'list');
    const {target, name: service} = targetAndName(args.target, args.service, schema, flags.unix);
    const {listSchema} = await import('../src/rpc/inspect.js');
    const result = await listSchema({
      target, service, schema, unix: flags.unix, headers: parseHeaderFlags(flags.header), transport: transportOptions(flags, `dial/${this.config.version}`),
      registry: () => this.openRegistry({url: flags.registry, token: flags.token}), signal: this.signal,
    });
    if (this.jsonEnabled()) return result;
    if (result.services) for (const s of result.services) this.out.line(s);
    if (result.methods) {
      const c = this.out.color;
      const sig = (m: NonNullable<ListResult['methods']>[number]) => {
        const cs = m.kind === 'client_streaming' || m.kind === 'bidi_streaming' ? 'stream ' : '';
        const ss = m.kind === 'server_streaming' || m.kind === 'bidi_streaming' ? 'stream ' : '';
        return `(${cs}${m.input}) returns (${ss}${m.output})`;
      };
      this.log(this.out.table(['METHOD', 'KIND', 'SIGNATURE'], result.methods.map((m) => [c.bold(m.fullName), m.kind, sig(m)])));
    }
    return result;
  }
}
