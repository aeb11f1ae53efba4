import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';
import {waitFor, type WaitForResult} from '../src/registry/index.js';
import {parseDurationFlag} from '../src/util/index.js';

export default class Wait extends DialCommand {
  static override summary = 'Block until a service has N (healthy) instances: exit 0, or 1 on timeout';
  static override description = 'The CI building block: waits (on the registry watch, no polling loop of yours) until NAME has at least --count instances, passing ones only with --healthy. Exit 0 when the condition holds, exit 1 when --timeout passes first.';
  static override examples = [
    {description: 'Wait for three healthy greeters', command: '<%= config.bin %> wait greeter --healthy --count 3 --timeout 30s'},
    {description: 'In a script', command: '<%= config.bin %> wait greeter --healthy && <%= config.bin %> call greeter SayHello'},
  ];
  static override args = {name: Args.string({description: 'Service name', required: true})};
  static override flags = {
    ...registryFlags,
    healthy: Flags.boolean({description: 'Count only instances whose checks all pass'}),
    count: Flags.integer({description: 'How many instances are needed', default: 1, min: 1}),
    timeout: Flags.string({description: 'Give up after this long (exit 1)', default: '30s'}),
  };

  async run(): Promise<WaitForResult> {
    const {args, flags} = await this.parse(Wait);
    const timeoutMs = parseDurationFlag('timeout', flags.timeout);
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    const r = await waitFor(registry, args.name, {healthy: flags.healthy, count: flags.count, timeoutMs, signal: this.signal});
    this.log(`${args.name}: ${r.count} ${r.healthy ? 'healthy ' : ''}instance${r.count === 1 ? '' : 's'} (wanted ${r.wanted}) after ${(r.waitedMs / 1000).toFixed(1)}s`);
    return r;
  }
}
