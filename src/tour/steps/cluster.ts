import type {TourStep} from '../types.js';

export const clusterStep: TourStep = {
  id: 'cluster',
  title: 'Start the local cluster',
  async run(ctx) {
    ctx.say(`dial runs its own small cluster on this machine: a registry daemon that speaks Consul's HTTP API
(with health checks and durable state), and demo services as separate processes. This tour uses a
temporary DIAL_HOME (${ctx.home}), so it does not touch a cluster of yours.`);
    await ctx.show(['cluster', 'up', '--port', '0', '--instances', '3']);
    ctx.say('`cluster status` shows the daemon and its instances; `--json` gives the same for scripts.');
    await ctx.show(['cluster', 'status']);
  },
};
