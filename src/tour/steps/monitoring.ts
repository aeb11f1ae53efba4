import type {TourStep} from '../types.js';

/** Sends unary greeter calls from this process (4 at a time) until `stop()`; returns how many. */
async function driveLoad(targets: string[], stop: () => boolean): Promise<number> {
  const {call} = await import('../../rpc/index.js');
  let n = 0;
  await Promise.all([0, 1, 2, 3].map(async (w) => {
    while (!stop() && n < 50_000) {
      const target = targets[(n + w) % targets.length];
      n++;
      await call({target, method: 'helloworld.Greeter/SayHello', messages: [{name: 'top'}], registry: () => Promise.reject(new Error('unused'))}).catch(() => undefined);
    }
  }));
  return n;
}

export const monitoringStep: TourStep = {
  id: 'monitoring',
  title: 'Watch the cluster: Prometheus metrics, a live top view, a Nagios check',
  async run(ctx) {
    ctx.say('Every server in the cluster (the daemon and each demo instance) serves Prometheus text at /metrics;\n`dial metrics` finds them through the registry and shows the samples:');
    await ctx.show(['metrics', 'greeter', '--match', '^dial_requests_total$']);
    const d = await ctx.json<{instances: {address: string; port: number; meta: Record<string, string>}[]}>(['discover', 'greeter']);
    const grpc = d.instances.filter((i) => i.meta.protocol === 'grpc').map((i) => `${i.address}:${i.port}`);
    ctx.say('`dial top` refreshes every second with per-instance request rate, error rate and p50/p99 latency\n(from histogram deltas) and in-flight requests. On a terminal it is full screen (q quits); here, while\nthe tour sends calls to the gRPC greeters, it prints plain lines:');
    let done = false;
    const load = driveLoad(grpc, () => done);
    try {
      await ctx.show(['top', 'greeter', '-n', '2', '--interval', '1s']);
    } finally {
      done = true;
      await load;
    }
    ctx.say('`dial check` is a monitoring plugin: one Nagios status line with perfdata, and exit 0/1/2/3 for\nOK/WARNING/CRITICAL/UNKNOWN (on purpose not dial\'s usual exit codes), so Nagios or Zabbix can run it:');
    await ctx.show(['check', 'greeter', '--min-healthy', '1', '--max-p99', '250']);
    ctx.say('Requiring more healthy instances than there are is CRITICAL (exit 2):');
    await ctx.show(['check', 'greeter', '--min-healthy', '99'], {expectExit: 2});
  },
};
