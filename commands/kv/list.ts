import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';

export default class KvList extends DialCommand {
  static override summary = 'List keys under a prefix';
  static override description = "Prints the keys under PREFIX (default: all), one per line. Without --recurse, keys are folded at the next '/' like a directory listing (consul kv get -keys); --recurse lists every key.";
  static override examples = [
    {description: 'Top-level "folders" and keys', command: '<%= config.bin %> kv list'},
    {description: 'Every key under config/', command: '<%= config.bin %> kv list config/ --recurse'},
  ];
  static override args = {prefix: Args.string({description: 'Key prefix (default: every key)'})};
  static override flags = {...registryFlags, recurse: Flags.boolean({description: "List every key instead of folding at '/'"})};

  async run(): Promise<{prefix: string; keys: string[]}> {
    const {args, flags} = await this.parse(KvList);
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    const prefix = args.prefix ?? '';
    const keys = await registry.kv.keys(prefix, flags.recurse ? undefined : '/');
    if (!this.jsonEnabled()) for (const k of keys) this.out.line(k);
    return {prefix, keys};
  }
}
