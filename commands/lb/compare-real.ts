import {commandStdin} from '../../src/cli/stdin.js';
import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {parseHeaderFlags} from '../../src/cli/headers.js';
import {connectionFlags} from '../../src/cli/rpc-flags.js';
import {transportOptions} from '../../src/cli/rpc-options.js';
import {usageError} from '../../src/errors/index.js';
import type {CompareReport, InstanceFaults} from '../../src/lb/real/index.js';

export default class LbCompareReal extends DialCommand {
  static override summary = "Run strategies against the real instances and put the simulator's prediction beside them";
  static override description = `For each strategy, sends -n calls (-c at a time) over the healthy instances of SERVICE, then simulates the same setup: the instances' latency measured without faults plus the faults injected with dial instance slow|fail (read from the local cluster). Shows real and predicted share and latency per instance, and throughput, latency and errors per strategy.`;
  static override examples = [
    {description: 'Slow one instance, compare four strategies', command: `<%= config.bin %> instance slow greeter-grpc-2 --latency 20ms && <%= config.bin %> lb compare-real greeter helloworld.Greeter/SayHello -d '{"name":"ada"}'`},
    {description: 'Two strategies, more calls', command: '<%= config.bin %> lb compare-real greeter SayHello --strategy round-robin,peak-ewma -n 3000 -c 32'},
  ];
  static override args = {
    target: Args.string({description: 'Service name from the registry', required: true}),
    method: Args.string({description: 'A unary method', required: true}),
  };
  static override flags = {
    ...registryFlags,
    ...connectionFlags,
    data: Flags.string({char: 'd', description: 'Request JSON, @FILE, or @- for stdin', default: '{}'}),
    header: Flags.string({char: 'H', description: "Request metadata 'name: value' (repeatable)", multiple: true}),
    strategy: Flags.string({char: 's', description: "Strategies: NAME[:key=value] separated by commas, or 'all'", default: 'round-robin,p2c,peak-ewma,least-response-time'}),
    requests: Flags.integer({char: 'n', description: 'Calls per strategy', default: 1000, min: 1}),
    concurrency: Flags.integer({char: 'c', description: 'Calls in flight at once', default: 16, min: 1, max: 10_000}),
  };

  async run(): Promise<CompareReport> {
    const {args, flags} = await this.parse(LbCompareReal);
    const {loadRequestData} = await import('../../src/rpc/index.js');
    if (flags.unix) throw usageError('--unix is not supported here', 'give HOST:PORT targets');
    const messages = await loadRequestData(flags.data, commandStdin());
    if (messages.length !== 1) throw usageError(`-d: want exactly one request message, got ${messages.length}`);
    const faults = new Map<string, InstanceFaults>();
    if (!flags.registry) {
      const {InstanceControl} = await import('../../src/runtime/instance-control/index.js');
      const ctl = InstanceControl.open(this.home, flags.token);
      this.onFinally(() => ctl.close());
      for (const i of await ctl.list()) faults.set(i.id, {latencyMs: i.faults.latencyMs, errorRate: i.faults.errorRate});
    }
    const {compareReal} = await import('../../src/lb/real/index.js');
    if (this.out.progress) this.out.note(`running ${flags.strategy.split(',').length} strategies against ${args.target} ...`);
    const report = await compareReal({
      target: args.target, method: args.method, message: messages[0], headers: parseHeaderFlags(flags.header), strategies: flags.strategy,
      requests: flags.requests, concurrency: flags.concurrency, faults, registry: () => this.openRegistry({url: flags.registry, token: flags.token}), transport: transportOptions(flags, `dial/${this.config.version}`), signal: this.signal,
    });
    if (!this.jsonEnabled()) {
      const {renderCompare} = await import('../../src/cli/render/compare.js');
      this.log(renderCompare(this.out, report));
    }
    return report;
  }
}
