import type {TourStep} from '../types.js';

export const grpcStep: TourStep = {
  id: 'grpc',
  title: 'gRPC in depth: list, describe, streams, errors, the network layers',
  async run(ctx) {
    ctx.say('The showcase service has every kind of call. `dial list` asks its server reflection what it offers:');
    await ctx.show(['list', 'showcase', 'Showcase']);
    ctx.say('`dial describe` prints any service, method, message or enum as proto source (short names work):');
    await ctx.show(['describe', 'showcase', 'Point']);
    ctx.say('Streams print each message as it arrives; --ndjson prints one compact line per message:');
    await ctx.show(['call', 'showcase', 'Count', '-d', '{"count":3,"interval":"0.2s"}', '--ndjson']);
    ctx.say('Client and bidi streaming read NDJSON; with -d @- they stream stdin as you type:');
    await ctx.show(['call', 'showcase', 'Chat', '-d', '@-', '--ndjson'], {input: '{"text":"hello"}\n{"text":"again"}\n'});
    ctx.say('-v shows the metadata, the status and the time each network layer took (name resolution through the\nregistry, TCP, TLS when used, the HTTP/2 settings exchange, schema, first response byte):');
    await ctx.show(['call', 'showcase', 'Echo', '-d', '{"i64":"9007199254740993","at":"2024-02-29T12:00:00Z"}', '-v']);
    ctx.say('Errors carry rich details (google.rpc.*), decoded from grpc-status-details-bin; the exit code is 64 + status:');
    await ctx.show(['call', 'showcase', 'Fail', '-d', '{"code":9,"message":"not in this state"}'], {expectExit: 73});
    ctx.say('The same server speaks gRPC-Web and Connect too (buf curl users rely on them):');
    await ctx.show(['call', 'showcase', 'Pack', '-d', '{"text":"over connect"}', '--protocol', 'connect']);
  },
};
