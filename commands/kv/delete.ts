import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {casFailure} from '../../src/cli/kv-cas.js';

export default class KvDelete extends DialCommand {
  static override summary = 'Delete a key (or every key under a prefix with --recurse)';
  static override description = 'Removes KEY; deleting a key that does not exist is not an error (as in Consul). --cas INDEX deletes only when the modify index still matches (exit 1 otherwise).';
  static override examples = [
    {description: 'One key', command: '<%= config.bin %> kv delete config/web/port'},
    {description: 'A whole prefix', command: '<%= config.bin %> kv delete config/ --recurse'},
  ];
  static override args = {key: Args.string({description: 'Key (a prefix with --recurse)', required: true})};
  static override flags = {
    ...registryFlags,
    recurse: Flags.boolean({description: 'Delete every key under KEY as a prefix'}),
    cas: Flags.integer({description: 'Check-and-set: the modify index the key must have', min: 0, exclusive: ['recurse']}),
  };

  async run(): Promise<{key: string; deleted: true; recurse: boolean}> {
    const {args, flags} = await this.parse(KvDelete);
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    if (!(await registry.kv.delete(args.key, {recurse: flags.recurse, cas: flags.cas}))) throw await casFailure(registry.kv, args.key, flags.cas ?? 0, 'deleted');
    this.log(`Success! Deleted key${flags.recurse ? 's under' : ''}: ${args.key}`);
    return {key: args.key, deleted: true, recurse: flags.recurse};
  }
}
