import type {TourStep} from '../types.js';

export const monitoringStep: TourStep = {
  id: 'monitoring',
  title: 'Watch the cluster: Prometheus metrics, a live top view, a Nagios check',
  async run(ctx) {
    ctx.say('Every server in the cluster (the daemon and each demo instance) serves Prometheus text at /metrics;\n`dial metrics` finds them through the registry and shows the samples:');
    await ctx.show(['metrics', 'greeter', '--match', '^dial_requests_total$']);
    ctx.say('`dial top` refreshes every second with per-instance request rate, error rate and p50/p99 latency\n(from histogram deltas) and in-flight requests. On a terminal it is full screen (q quits); here it\nprints plain lines, while `dial bench` loads the greeters (each command is shown when it ends):');
    await Promise.all([
      ctx.show(['bench', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"top"}', '--duration', '4s', '-c', '8']),
      new Promise((r) => setTimeout(r, 500)).then(() => ctx.show(['top', 'greeter', '-n', '2', '--interval', '1s'])),
    ]);
    ctx.say('`dial check` is a monitoring plugin: one Nagios status line with perfdata, and exit 0/1/2/3 for\nOK/WARNING/CRITICAL/UNKNOWN (on purpose not dial\'s usual exit codes), so Nagios or Zabbix can run it:');
    await ctx.show(['check', 'greeter', '--min-healthy', '1', '--max-p99', '250']);
    ctx.say('Requiring more healthy instances than there are is CRITICAL (exit 2):');
    await ctx.show(['check', 'greeter', '--min-healthy', '99'], {expectExit: 2});
  },
};
