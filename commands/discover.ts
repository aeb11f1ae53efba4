import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';
import type {ServiceInstance} from '../src/registry/index.js';

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

  async run(): Promise<{service: string; registry: string; instances: ServiceInstance[]}> {
    const {args, flags} = await this.parse(Discover);
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    const instances = await registry.discover(args.name, {healthy: flags.healthy, tag: flags.tag, signal: this.signal});
    if (flags.format === 'addrs') {
      if (!this.jsonEnabled()) for (const i of instances) this.out.line(`${i.address.includes(':') ? `[${i.address}]` : i.address}:${i.port}`);
    } else if (instances.length === 0) {
      this.out.note(`no ${flags.healthy ? 'healthy ' : ''}instances of '${args.name}' at ${registry.url}`);
    } else {
      this.log(this.out.table(
        ['ID', 'ADDRESS', 'PROTOCOL', 'WEIGHT', 'HEALTH', 'CHECKS'],
        instances.map((i) => [
          i.id, `${i.address}:${i.port}`, i.meta.protocol ?? '-', i.meta.weight ?? String(i.weights.passing), this.out.health(i.status),
          i.checks.map((c) => `${c.type || 'check'} ${c.status}${c.status === 'passing' ? '' : `: ${c.output.slice(0, 60)}`}`).join('; ') || '-',
        ]),
      ));
    }
    return {service: args.name, registry: registry.url, instances};
  }
}
