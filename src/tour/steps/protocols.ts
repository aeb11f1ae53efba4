import {join, relative} from 'node:path';
import {packageRoot} from '../../runtime/entry-points.js';
import type {TourStep} from '../types.js';

/** A schema file of the package, as a path relative to where the tour runs. */
const schema = (name: string) => relative(process.cwd(), join(packageRoot(), 'proto', 'helloworld', name)) || name;

export const protocolsStep: TourStep = {
  id: 'protocols',
  title: 'Every protocol, every codec',
  async run(ctx) {
    ctx.say(`The greeter also runs as REST, MessagePack-over-HTTP, JSON-RPC, XML-RPC and SOAP instances, each a
process that registered its protocol and codec. An HTTP method and a path make a REST call; --codec msgpack
picks the instance that speaks MessagePack (dial encodes and decodes the bodies):`);
    await ctx.show(['call', 'greeter', 'GET', '/hello/ada']);
    await ctx.show(['call', 'greeter', 'POST', '/hello', '-d', '{"name":"ada"}', '--codec', 'msgpack']);
    ctx.say('--protocol picks the others. JSON-RPC takes params by position or by name, and several values make one batch:');
    await ctx.show(['call', 'greeter', 'SayHello', '--protocol', 'json-rpc', '-d', '["ada"] {"name":"grace"}']);
    ctx.say('XML-RPC carries the types JSON lacks as tagged values, both ways:');
    await ctx.show(['call', 'greeter', 'Echo', '--protocol', 'xml-rpc', '-d', '[{"$dateTime.iso8601":"20240229T12:30:00"}, {"$base64":"aGk="}]']);
    ctx.say('SOAP reads the WSDL the instance registered, builds the envelope from JSON (1.1 or 1.2) and prints the body as JSON;\nfaults become exit codes like every other error (64 + 3 INVALID_ARGUMENT here):');
    await ctx.show(['call', 'greeter', 'SayHello', '--protocol', 'soap', '--soap-version', '1.2', '-d', '{"name":"ada"}']);
    await ctx.show(['call', 'greeter', 'SayHello', '--protocol', 'soap', '-d', '{"name":""}'], {expectExit: 67});
    ctx.say(`Thrift has no server reflection: the Thrift greeter registered its IDL with its transport (framed) and
protocol (binary), so a call by name needs only --protocol thrift. The IDL lists like a .proto, and a declared
exception comes back as JSON with its type (exit 64 + 2 UNKNOWN):`);
    await ctx.show(['call', 'greeter', 'Greeter.SayHello', '--protocol', 'thrift', '-d', '{"name":"ada"}']);
    await ctx.show(['list', '--schema', schema('helloworld.thrift'), 'Greeter']);
    await ctx.show(['call', 'greeter', 'SayHello', '--protocol', 'thrift', '-d', JSON.stringify({name: 'x'.repeat(65)})], {expectExit: 66});
    ctx.say('The same request in every wire format dial knows, with the schema of each (.proto, .thrift, .avsc):');
    await ctx.show(['codec', 'compare', '-d', '{"name":"ada","count":3}', '--type', 'HelloRequest', '--iterations', '300',
      '--schema', schema('helloworld.proto'), '--schema', schema('helloworld.thrift'), '--schema', schema('helloworld.avsc')]);
  },
};
