import {Args, Flags} from '@oclif/core';
import {DialCommand} from '../src/cli/base-command.js';
import {registryFlags} from '../src/cli/flags.js';
import {callProtocolFlag, connectionFlags, schemaFlags} from '../src/cli/rpc-flags.js';
import {runCall, type CallResult} from '../src/cli/run/call.js';
import {thriftCallFlags} from '../src/cli/thrift-flags.js';

export default class Call extends DialCommand {
  static override summary = 'Call an RPC method on a service (by registry name), HOST:PORT or URL';
  static override description = `Resolves TARGET through the registry (a healthy instance of that service) or uses HOST:PORT or an http(s) URL (https: TLS with the system roots plus --cacert; http: plaintext, h2c for gRPC; https://host/pkg.Service/Method works as in buf curl, Connect by default), learns the schema by server reflection (or from --proto/--protoset files), sends the JSON request (proto3 JSON mapping) and prints each response message as JSON as it arrives. Streaming calls take several request messages as NDJSON; -d @- streams them from stdin as they come. Exit code 64+N when the RPC ends with gRPC status N, 3 when the target cannot be reached. Every request carries a W3C traceparent header (a new trace, or the one you pass with -H 'traceparent: ...'); -v and --json show the trace id, and 'dial cluster logs --trace ID' finds the call in the daemon and instance logs.`;
  static override examples = [
    {description: 'Call the demo greeter through the registry', command: `<%= config.bin %> call greeter helloworld.Greeter/SayHello -d '{"name":"ada"}'`},
    {description: 'Server streaming, with headers, trailers and the time of each network layer', command: `<%= config.bin %> call greeter SayHelloStreamReply -d '{"name":"ada","count":3}' -v`},
    {description: '300 calls, 8 at a time, balanced with P2C over the healthy instances', command: `<%= config.bin %> call greeter helloworld.Greeter/SayHello -d '{"name":"ada"}' --lb p2c -n 300 -c 8`},
    {description: 'Bidi streaming from stdin', command: `printf '{"text":"hi"}\\n{"text":"there"}\\n' | <%= config.bin %> call showcase Chat -d @-`},
    {description: 'Rich error details, the whole outcome as one JSON document', command: `<%= config.bin %> call showcase Fail -d '{"code":3}' --json`},
    {description: 'The same service over Connect (or grpc-web)', command: `<%= config.bin %> call showcase showcase.v1.Showcase/Echo -d '{"i64":"9007199254740993"}' --protocol connect`},
    {description: 'buf curl\'s URL form: the method in the path, Connect unless --protocol grpc|grpcweb says otherwise', command: `<%= config.bin %> call http://$(<%= config.bin %> discover showcase --format addrs | head -1)/showcase.v1.Showcase/Echo -d '{"text":"hi"}'`},
    {description: 'XML-RPC at its usual path', command: `<%= config.bin %> call http://$(<%= config.bin %> discover greeter --tag xml-rpc --format addrs | head -1)/RPC2 SayHello --protocol xml-rpc -d '{"name":"ada"}'`},
    {description: 'Schema from a .proto file instead of server reflection', command: `<%= config.bin %> call greeter helloworld.Greeter/SayHello --proto proto/helloworld/helloworld.proto -d '{"name":"ada"}'`},
    {description: 'REST: an HTTP method and a path (the greeter instance that registered protocol rest)', command: '<%= config.bin %> call greeter GET /hello/ada'},
    {description: 'REST with a JSON body, a header and a query parameter', command: `<%= config.bin %> call greeter POST /hello -d '{"name":"ada"}' -H 'x-trace: 1' --query lang=en`},
    {description: 'JSON-RPC 2.0, params by name; a batch from NDJSON on stdin', command: `<%= config.bin %> call greeter SayHello --protocol json-rpc -d '{"name":"ada"}'`},
    {description: 'XML-RPC with a dateTime and base64 param', command: `<%= config.bin %> call greeter Echo --protocol xml-rpc -d '[{"$dateTime.iso8601":"20240229T12:30:00"},{"$base64":"aGk="}]'`},
    {description: 'Thrift: the cluster\'s Thrift greeter (framed + binary, the IDL from its registry metadata)', command: `<%= config.bin %> call greeter Greeter.SayHello --protocol thrift -d '{"request":{"name":"ada"}}'`},
    {description: 'Thrift at an address, with the IDL, over the buffered transport and the compact protocol', command: `<%= config.bin %> call 127.0.0.1:9090 Calculator.add --schema calc.thrift --thrift-transport buffered --thrift-protocol compact -d '{"a":1,"b":2}'`},
    {description: 'SOAP 1.2 (the WSDL comes from the instance); the body prints as JSON', command: `<%= config.bin %> call greeter SayHello --protocol soap --soap-version 1.2 -d '{"name":"ada"}'`},
  ];
  static override args = {
    target: Args.string({description: 'Service name from the registry, HOST:PORT, unix:PATH, an http(s):// URL (https://host/pkg.Service/Method as buf curl; http://host:port/RPC2 ...), or nats://HOST:PORT/SUBJECT (a NATS request-reply)', required: true}),
    method: Args.string({description: 'pkg.Service/Method (or Service/Method, or Method when unique); for REST an HTTP method; JSON-RPC/XML-RPC method; SOAP operation; Thrift Service.method (Service:method when multiplexed). Optional when a URL TARGET ends in /pkg.Service/Method', ignoreStdin: true}),
    path: Args.string({description: 'REST only: the request path, e.g. /users/1?expand=true', ignoreStdin: true}),
  };
  static override flags = {
    ...registryFlags,
    ...schemaFlags,
    ...thriftCallFlags,
    ...connectionFlags,
    data: Flags.string({char: 'd', description: 'Request JSON, @FILE, or @- for stdin (several messages as NDJSON for streaming calls)'}),
    header: Flags.string({char: 'H', description: "Request metadata 'name: value' (repeatable; -bin names take base64 values)", multiple: true, multipleNonGreedy: true}),
    protocol: callProtocolFlag,
    http2: Flags.boolean({description: 'gRPC-Web and Connect over HTTP/2 instead of HTTP/1.1'}),
    'max-time': Flags.string({description: 'Deadline for the whole call (connect, schema, RPC), e.g. 5s (default: none, as in grpcurl: streams run until they end or Ctrl-C; --connect-timeout still bounds connecting)'}),
    'emit-defaults': Flags.boolean({description: 'Print fields that hold their default value'}),
    ndjson: Flags.boolean({description: 'Print each response message as one compact JSON line (NDJSON)', exclusive: ['json']}),
    verbose: Flags.boolean({char: 'v', description: 'Show headers, trailers, status and the time of each network layer on stderr'}),
    query: Flags.string({description: "REST: query parameter 'name=value' (repeatable)", multiple: true, multipleNonGreedy: true}),
    codec: Flags.string({description: 'REST body codec (default: the instance\'s registry metadata, else json)', options: ['json', 'msgpack']}),
    wsdl: Flags.string({description: 'SOAP: the WSDL, a file or URL (default: the instance\'s registry metadata, else http://TARGET/?wsdl); implies --protocol soap'}),
    'soap-version': Flags.string({description: 'SOAP: use a port of this SOAP version (default: the first port with the operation)', options: ['1.1', '1.2']}),
    lb: Flags.string({description: 'Balance repeated calls over the healthy instances with this strategy (see dial lb strategies)', helpGroup: 'BALANCING'}),
    requests: Flags.integer({char: 'n', description: 'Send the unary call this many times (balanced; prints per-instance counts)', min: 1, helpGroup: 'BALANCING'}),
    concurrency: Flags.integer({char: 'c', description: 'Balanced calls in flight at once', min: 1, max: 10_000, helpGroup: 'BALANCING'}),
    retries: Flags.integer({description: 'Retry UNAVAILABLE on another instance up to N times', min: 0, max: 10, helpGroup: 'BALANCING'}),
  };

  async run(): Promise<CallResult> {
    const {args, flags} = await this.parse(Call);
    return runCall(this.context, args, flags);
  }
}
