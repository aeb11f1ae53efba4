import type {TourStep} from '../types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const registryStep: TourStep = {
  id: 'registry',
  title: 'Register, watch an instance fail, discover only healthy ones',
  async run(ctx) {
    ctx.say('Register a service of your own, with a TTL check that it must report within 30s (it starts critical):');
    await ctx.show(['register', 'billing', '--port', '9400', '--id', 'billing-1', '--tag', 'v2', '--check-ttl', '30s']);
    await ctx.show(['check', 'pass', 'service:billing-1', '--note', 'ready']);
    await ctx.show(['discover', 'billing']);
    const before = await ctx.json<{instances: unknown[]}>(['discover', 'greeter', '--healthy']);
    ctx.say(`Now watch the greeter while the tour crashes one of its instances in the background
('dial instance kill greeter-grpc-1': SIGKILL, no goodbye). Its gRPC check runs every 1s with a 1s
timeout, so the registry sees it critical within about 2s:`);
    const killing = sleep(1500).then(() => ctx.json(['instance', 'kill', 'greeter-grpc-1']));
    await ctx.show(['watch', 'greeter', '--timeout', '7s']);
    await killing;
    await ctx.show(['health', 'greeter']);
    ctx.say('Discovery with --healthy leaves it out, so scripts and balancers only get live instances:');
    await ctx.show(['discover', 'greeter', '--healthy', '--format', 'addrs']);
    ctx.say('Bring it back; `dial wait` blocks until the condition holds (exit 0) or times out (exit 1), for CI:');
    await ctx.show(['instance', 'restart', 'greeter-grpc-1']);
    await ctx.show(['wait', 'greeter', '--healthy', '--count', String(before.instances.length), '--timeout', '15s']);
    ctx.say('The registry also keeps configuration: a key/value store with check-and-set (--cas), like Consul KV:');
    await ctx.show(['kv', 'put', 'config/billing/currency', 'EUR']);
    await ctx.show(['kv', 'get', 'config/billing/currency']);
    await ctx.show(['deregister', 'billing-1']);
  },
};
