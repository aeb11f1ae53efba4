import {Args} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';

export default class Deregister extends DialCommand {
  static override summary = 'Remove a service instance from the registry';
  static override description = 'Deregisters the instance with this ID (not the service name) and its checks. Exit 1 when no such instance exists.';
  static override examples = [
    {description: 'Remove an instance registered with --id web-1', command: '<%= config.bin %> deregister web-1'},
  ];
  static override args = {id: Args.string({description: "Instance ID (see 'dial discover NAME')", required: true})};
  static override flags = {...registryFlags};

  async run(): Promise<{registry: string; id: string; deregistered: true}> {
    const {args, flags} = await this.parse(Deregister);
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    await registry.deregister(args.id);
    this.log(`deregistered ${args.id}`);
    return {registry: registry.url, id: args.id, deregistered: true};
  }
}
