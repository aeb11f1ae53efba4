import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';
import {parseHeaderFlags, parseQueryFlags} from '../src/cli/headers.js';
import {rpcExitCode} from '../src/errors/index.js';
import type {AnyCallOutcome} from '../src/rpc/index.js';
import {CALL_PROTOCOLS} from '../src/rpc/protocols/types.js';
import {parseDurationFlag} from '../src/util/index.js';

export default class Call extends DialCommand {
  static override summary = 'Call an RPC method on a service (by registry name) or HOST:PORT';
  static override description = `Resolves TARGET through the registry (a healthy instance of that service) or uses HOST:PORT, learns the schema by server reflection, sends the JSON request and prints each response message as JSON. Exit code 64+N when the RPC ends with gRPC status N. Every request carries a W3C traceparent header (a new trace, or the one you pass with -H 'traceparent: ...'); -v and --json show the trace id, and 'dial cluster logs --trace ID' finds the call in the daemon and instance logs.`;
  static override examples = [
    {description: 'Call the demo greeter through the registry', command: `<%= config.bin %> call greeter helloworld.Greeter/SayHello -d '{"name":"ada"}'`},
    {description: 'Call an address directly, request from a file', command: '<%= config.bin %> call 127.0.0.1:50051 helloworld.Greeter/SayHello -d @req.json'},
    {description: 'Server streaming, full outcome as JSON', command: `<%= config.bin %> call greeter SayHelloStreamReply -d '{"name":"ada","count":3}' --json`},
    {description: 'REST: an HTTP method and a path (the greeter instance that registered protocol rest)', command: '<%= config.bin %> call greeter GET /hello/ada'},
    {description: 'REST with a JSON body, a header and a query parameter', command: `<%= config.bin %> call greeter POST /hello -d '{"name":"ada"}' -H 'x-trace: 1' --query lang=en`},
    {description: 'JSON-RPC 2.0, params by name; a batch from NDJSON on stdin', command: `<%= config.bin %> call greeter SayHello --protocol json-rpc -d '{"name":"ada"}'`},
    {description: 'XML-RPC with a dateTime and base64 param', command: `<%= config.bin %> call greeter Echo --protocol xml-rpc -d '[{"$dateTime.iso8601":"20240229T12:30:00"},{"$base64":"aGk="}]'`},
    {description: 'SOAP 1.2 (the WSDL comes from the instance); the body prints as JSON', command: `<%= config.bin %> call greeter SayHello --protocol soap --soap-version 1.2 -d '{"name":"ada"}'`},
  ];
  static override args = {
    target: Args.string({description: 'Service name from the registry, or HOST:PORT', required: true}),
    method: Args.string({description: 'pkg.Service/Method (or Service/Method, or Method when unique); for REST an HTTP method; JSON-RPC/XML-RPC method; SOAP operation', required: true}),
    path: Args.string({description: 'REST only: the request path, e.g. /users/1?expand=true', ignoreStdin: true}),
  };
  static override flags = {
    ...registryFlags,
    data: Flags.string({char: 'd', description: 'Request JSON, @FILE, or @- for stdin (several messages as NDJSON for streaming calls)'}),
    header: Flags.string({char: 'H', description: "Request metadata 'name: value' (repeatable)", multiple: true}),
    'max-time': Flags.string({description: 'Deadline for the whole call, e.g. 5s', default: '30s'}),
    'emit-defaults': Flags.boolean({description: 'Print fields that hold their default value'}),
    verbose: Flags.boolean({char: 'v', description: 'Show headers, trailers, status and timing on stderr'}),
    protocol: Flags.string({description: 'Protocol to speak (default: from the instance\'s registry metadata; an HTTP method as METHOD means rest)', options: [...CALL_PROTOCOLS], env: 'DIAL_PROTOCOL'}),
    query: Flags.string({description: "REST: query parameter 'name=value' (repeatable)", multiple: true}),
    codec: Flags.string({description: 'REST body codec (default: the instance\'s registry metadata, else json)', options: ['json', 'msgpack']}),
    wsdl: Flags.string({description: 'SOAP: the WSDL, a file or URL (default: the instance\'s registry metadata, else http://TARGET/?wsdl)'}),
    'soap-version': Flags.string({description: 'SOAP: use a port of this SOAP version (default: the first port with the operation)', options: ['1.1', '1.2']}),
  };

  async run(): Promise<AnyCallOutcome & {traceId: string}> {
    const {args, flags} = await this.parse(Call);
    const timeoutMs = parseDurationFlag('max-time', flags['max-time']);
    const headers = parseHeaderFlags(flags.header);
    const {call, loadRequestData} = await import('../src/rpc/index.js');
    const messages = await loadRequestData(flags.data, process.stdin);
    const json = this.jsonEnabled();
    const {newTrace, parseTraceparent, withTrace} = await import('../src/metrics/trace.js');
    const trace = parseTraceparent(headers.find(([k]) => k.toLowerCase() === 'traceparent')?.[1]) ?? newTrace();
    const outcome = await withTrace(trace, () => call({
      target: args.target, method: args.method, messages, headers, timeoutMs, emitDefaults: flags['emit-defaults'],
      registry: () => this.openRegistry({url: flags.registry, token: flags.token}), signal: this.signal,
      onMessage: json ? undefined : (m) => this.out.line(typeof m === 'string' ? m : JSON.stringify(m, null, 2)),
      protocol: flags.protocol,
      http: {
        path: args.path, query: parseQueryFlags(flags.query), codec: flags.codec, hasData: flags.data !== undefined,
        wsdl: flags.wsdl, soapVersion: flags['soap-version'] as '1.1' | '1.2' | undefined,
      },
    }));
    if (flags.verbose && !json) {
      const {renderCallDetails} = await import('../src/cli/render/call.js');
      this.out.note(renderCallDetails(this.out, outcome));
      this.out.note(`${this.out.errColor.bold('Trace:')} ${trace.traceId} (dial cluster logs --trace ${trace.traceId})`);
    }
    if (outcome.status.code !== 0) {
      process.exitCode = rpcExitCode(outcome.status.code);
      this.out.note(`${this.out.errColor.red('ERROR:')}\n  Code: ${outcome.status.name}\n  Message: ${outcome.status.message}`);
    }
    return {...outcome, traceId: trace.traceId};
  }
}
