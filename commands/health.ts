import {Args} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';
import type {ServiceCheck} from '../src/registry/index.js';

export default class Health extends DialCommand {
  static override summary = 'Show every health check of a service, with status and output';
  static override description = 'Lists the checks of each instance of NAME: check ID (for dial check pass|warn|fail), type, status and the output of its last run.';
  static override examples = [
    {description: 'Checks of the demo greeter', command: '<%= config.bin %> health greeter'},
    {description: 'As JSON', command: '<%= config.bin %> health greeter --json'},
  ];
  static override args = {name: Args.string({description: 'Service name', required: true})};
  static override flags = {...registryFlags};

  async run(): Promise<{registry: string; service: string; checks: ServiceCheck[]}> {
    const {args, flags} = await this.parse(Health);
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    const checks = await registry.health(args.name);
    if (checks.length === 0) this.out.note(`no checks for '${args.name}' at ${registry.url} (unknown service, or instances without checks)`);
    else {
      this.log(this.out.table(
        ['INSTANCE', 'CHECK', 'TYPE', 'STATUS', 'OUTPUT'],
        checks.map((c) => [c.serviceId, c.id, c.type || '-', this.out.health(c.status), oneLine(c.output) || '-']),
      ));
    }
    return {registry: registry.url, service: args.name, checks};
  }
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 100 ? `${t.slice(0, 99)}…` : t;
}
