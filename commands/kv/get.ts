import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {kvEntryJson, type KvEntryJson} from '../../src/cli/render/kv.js';
import {DialError} from '../../src/errors/index.js';

export default class KvGet extends DialCommand {
  static override summary = 'Read a key (or every key under a prefix with --recurse)';
  static override description = 'Prints the value of KEY as it is stored (a newline is added when it has none), like consul kv get. --recurse prints KEY:VALUE lines for every key under the prefix. Exit 1 when the key does not exist.';
  static override examples = [
    {description: 'Read one value', command: '<%= config.bin %> kv get config/web/port'},
    {description: 'Everything under a prefix', command: '<%= config.bin %> kv get config/ --recurse'},
    {description: 'With indexes (for --cas), as JSON', command: '<%= config.bin %> kv get config/web/port --json'},
  ];
  static override args = {key: Args.string({description: 'Key (a prefix with --recurse)', required: true})};
  static override flags = {...registryFlags, recurse: Flags.boolean({description: 'Every key under KEY as a prefix'})};

  async run(): Promise<KvEntryJson | {prefix: string; entries: KvEntryJson[]}> {
    const {args, flags} = await this.parse(KvGet);
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    if (flags.recurse) {
      const entries = await registry.kv.list(args.key);
      if (!this.jsonEnabled()) for (const e of entries) this.out.line(`${e.key}:${e.value.toString('utf8')}`);
      return {prefix: args.key, entries: entries.map(kvEntryJson)};
    }
    const e = await registry.kv.get(args.key);
    const dir = args.key.replace(/[^/]*$/, '');
    if (!e) throw new DialError('NOT_FOUND', `no key '${args.key}' at ${registry.url}`, {hint: `list keys with 'dial kv list${dir ? ` ${dir}` : ''}'`});
    if (!this.jsonEnabled()) {
      this.out.stdout.write(e.value);
      if (e.value.length && e.value[e.value.length - 1] !== 0x0a) this.out.line();
    }
    return kvEntryJson(e);
  }
}
