import {commandStdin} from '../../src/cli/stdin.js';
import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {readValueInput} from '../../src/cli/value-input.js';
import {casFailure} from '../../src/cli/kv-cas.js';

export default class KvPut extends DialCommand {
  static override summary = 'Write a key: the value from an argument, @FILE or stdin';
  static override description = `Stores VALUE under KEY. VALUE is the text itself, @FILE for a file's bytes, or '-' (or nothing) for stdin; write @@ for a literal leading @. --cas INDEX writes only if the key's modify index still equals INDEX (0: only if the key does not exist yet); a failed check-and-set exits 1.`;
  static override examples = [
    {description: 'A literal value', command: '<%= config.bin %> kv put config/web/port 8080'},
    {description: 'From a file', command: '<%= config.bin %> kv put config/web/tls.pem @cert.pem'},
    {description: 'From stdin', command: 'echo on | <%= config.bin %> kv put features/beta'},
    {description: 'Create only if absent', command: '<%= config.bin %> kv put locks/leader me --cas 0'},
  ];
  static override args = {
    key: Args.string({description: 'Key', required: true}),
    value: Args.string({description: "Value, @FILE, or '-' for stdin (default: stdin)"}),
  };
  static override flags = {
    ...registryFlags,
    cas: Flags.integer({description: 'Check-and-set: the modify index the key must have (0: must not exist)', min: 0}),
    flags: Flags.integer({description: 'Opaque 64-bit flags stored with the key (Consul)', min: 0}),
  };

  async run(): Promise<{key: string; written: true; bytes: number}> {
    const {args, flags} = await this.parse(KvPut);
    const value = await readValueInput(args.value, commandStdin());
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    const ok = await registry.kv.put(args.key, value, {cas: flags.cas, flags: flags.flags});
    if (!ok) throw await casFailure(registry.kv, args.key, flags.cas ?? 0, 'written');
    this.log(`Success! Data written to: ${args.key}`);
    return {key: args.key, written: true, bytes: value.length};
  }
}
