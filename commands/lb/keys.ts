import {Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import type {KeysReport} from '../../src/lb/index.js';

export default class LbKeys extends DialCommand {
  static override summary = 'Show how a strategy spreads keys over backends, and how many move when backends change';
  static override description = 'Maps the keys key-0 .. key-(N-1) with one strategy (the hashing ones are what this is for: hash, ring, maglev, bounded-load, rendezvous), prints keys per backend, and with --add or --remove the fraction of keys that moved beside the minimum any strategy must move.';
  static override examples = [
    {description: 'Maglev over 10 backends, one removed', command: '<%= config.bin %> lb keys --strategy maglev --backends 10 --keys 100000 --remove 1'},
    {description: 'hash mod N moves almost everything when one is added', command: '<%= config.bin %> lb keys --strategy hash --backends 10 --add 1'},
    {description: 'A ring with few virtual nodes, named weighted backends', command: '<%= config.bin %> lb keys --strategy ring:vnodes=10 --backends a,b,c=2 --remove b'},
  ];
  static override flags = {
    strategy: Flags.string({char: 's', description: 'Strategy, NAME[:key=value] (see dial lb strategies)', default: 'ring'}),
    backends: Flags.string({char: 'b', description: 'A count (b1..bN) or names with optional weights: a,b=2,c', default: '10'}),
    keys: Flags.integer({char: 'k', description: 'Number of keys', default: 10_000, min: 1, max: 10_000_000}),
    add: Flags.string({description: 'Backends to add: a count or names', exclusive: ['remove']}),
    remove: Flags.string({description: 'Backends to remove: a count (the last ones) or names', exclusive: ['add']}),
    seed: Flags.integer({description: 'Random seed (for strategies that use randomness)', default: 1}),
  };

  async run(): Promise<KeysReport> {
    const {flags} = await this.parse(LbKeys);
    const {analyzeKeys} = await import('../../src/lb/index.js');
    const report = analyzeKeys({strategy: flags.strategy, backends: flags.backends, keys: flags.keys, add: flags.add, remove: flags.remove, seed: flags.seed});
    if (!this.jsonEnabled()) {
      const {renderKeys} = await import('../../src/cli/render/keys.js');
      this.log(renderKeys(this.out, report));
    }
    return report;
  }
}
