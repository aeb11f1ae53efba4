import type {TourStep} from '../types.js';

export const discoveryStep: TourStep = {
  id: 'discovery',
  title: 'Find services in the registry',
  async run(ctx) {
    ctx.say('Each demo instance registered itself, with its protocol in the metadata and a gRPC health check\nthat the daemon runs every second.');
    await ctx.show(['services']);
    await ctx.show(['discover', 'greeter']);
    ctx.say('For shell scripts, `--format addrs` prints only HOST:PORT of the healthy instances:');
    await ctx.show(['discover', 'greeter', '--healthy', '--format', 'addrs']);
  },
};
