import type {TourStep} from '../types.js';

export const callStep: TourStep = {
  id: 'call',
  title: 'Call a service over gRPC',
  async run(ctx) {
    ctx.say('`dial call` resolves the service name through the registry, picks a healthy instance, learns the\nschema by server reflection, and sends your JSON as protobuf:');
    await ctx.show(['call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}']);
    const d = await ctx.json<{instances: {address: string; port: number; meta: Record<string, string>}[]}>(['discover', 'greeter']);
    const grpcInstance = d.instances.find((i) => (i.meta.protocol ?? 'grpc') === 'grpc') ?? d.instances[0];
    const target = `${grpcInstance.address}:${grpcInstance.port}`;
    ctx.vars.greeterAddr = target;
    ctx.say(`It also takes HOST:PORT, like grpcurl. -v shows headers, trailers, status and timing (on stderr):`);
    await ctx.show(['call', target, 'helloworld.Greeter/SayHelloStreamReply', '-d', '{"name":"ada","count":2}', '-v']);
    ctx.say('Mistakes get a clear error, a hint and a stable exit code (64 + gRPC status; here 12 UNIMPLEMENTED):');
    await ctx.show(['call', 'greeter', 'helloworld.Greeter/SayHelo'], {expectExit: 76});
  },
};
