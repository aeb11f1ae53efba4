import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';
import {runDiscover, type DiscoverResult} from '../src/cli/run/discover.js';

export default class Discover extends DialCommand {
  static override summary = 'Show the instances of a service: address, port, protocol, health';
  static override description = 'Asks the registry for every instance of NAME with its metadata and checks. --healthy keeps only instances whose checks all pass; --format addrs prints HOST:PORT lines for shell use.';
  static override examples = [
    {description: 'All instances of the demo greeter', command: '<%= config.bin %> discover greeter'},
    {description: 'Only healthy ones, as host:port lines', command: '<%= config.bin %> discover greeter --healthy --format addrs'},
    {description: 'As JSON', command: '<%= config.bin %> discover greeter --json'},
  ];
  static override args = {name: Args.string({description: 'Service name', required: true})};
  static override flags = {
    ...registryFlags,
    healthy: Flags.boolean({description: 'Only instances whose checks all pass'}),
    tag: Flags.string({description: 'Only instances with this tag'}),
    format: Flags.string({description: 'Output format', options: ['table', 'addrs'], default: 'table'}),
  };

  async run(): Promise<DiscoverResult> {
    const {args, flags} = await this.parse(Discover);
    return runDiscover(this.context, args, flags);
  }
}
