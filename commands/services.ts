import {DialCommand, registryFlags} from '../src/cli/index.js';
import type {ServiceSummary} from '../src/registry/index.js';

export default class Services extends DialCommand {
  static override summary = 'List registered services with instance counts and health';
  static override description = 'Reads the registry (the local cluster by default, or --registry) and shows each service name, its tags, and how many instances are passing, warning and critical.';
  static override examples = [
    {description: 'List services of the local cluster', command: '<%= config.bin %> services'},
    {description: 'As JSON for scripts', command: '<%= config.bin %> services --json'},
  ];
  static override flags = {...registryFlags};

  async run(): Promise<{registry: string; services: ServiceSummary[]}> {
    const {flags} = await this.parse(Services);
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    const services = await registry.services();
    if (services.length === 0) this.log(`no services registered at ${registry.url}`);
    else {
      const c = this.out.color;
      this.log(this.out.table(
        ['NAME', 'TAGS', 'INSTANCES', 'PASSING', 'WARNING', 'CRITICAL'],
        services.map((s) => [s.name, s.tags.join(',') || '-', s.instances, c.green(s.passing), s.warning ? c.yellow(s.warning) : 0, s.critical ? c.red(s.critical) : 0]),
      ));
    }
    return {registry: registry.url, services};
  }
}
