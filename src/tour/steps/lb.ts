import type {TourStep} from '../types.js';

export const lbStep: TourStep = {
  id: 'lb',
  title: 'Load balancing: simulate strategies, then balance real calls',
  async run(ctx) {
    ctx.say('`dial lb simulate` runs strategies through a discrete-event simulation. Here one of five backends\nruns at a quarter of the speed at 80% load; the table ranks the strategies (same seed, same numbers):');
    await ctx.show(['lb', 'simulate', '--scenario', 'slow-backend', '-n', '20000', '--strategy', 'round-robin,random,p2c,least-connections,peak-ewma,least-response-time', '--no-charts']);
    ctx.say('Round robin and random keep sending a fifth of the traffic to the slow backend, whose queue grows without\nbound; the dynamic strategies steer around it. Now the same with real instances: slow one down,\nthen spread calls with round robin and with peak-EWMA (-n calls, -c in flight):');
    await ctx.show(['instance', 'slow', 'greeter-grpc-2', '--latency', '30ms']);
    await ctx.show(['call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}', '--lb', 'round-robin', '-n', '300', '-c', '8']);
    await ctx.show(['call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}', '--lb', 'peak-ewma', '-n', '300', '-c', '8']);
    await ctx.show(['instance', 'heal', 'greeter-grpc-2']);
    ctx.say('`dial bench` is the load-testing view of the same engine (like ghz), and `dial lb compare-real` puts\nthe simulator\'s prediction beside a real run.');
  },
};
