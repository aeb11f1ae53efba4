import {Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import type {DbBalances} from '../../src/txn/db/index.js';
import {renderBalances} from '../../src/cli/render/txn.js';
import type {BalancesView} from '../../src/txn/real/wire.js';

export default class TxnBalances extends DialCommand {
  static override summary = 'Show the account balances and whether the total is conserved';
  static override description = 'Each participant holds one account (p1: a, p2: b, ...) that starts at 100. Balances of processes that are down come from their logs. Exit code 1 when the total is not conserved (an atomicity violation).';
  static override examples = [
    {description: 'Human view', command: '<%= config.bin %> txn balances'},
    {description: 'For scripts', command: '<%= config.bin %> txn balances --json'},
    {description: 'The accounts in the real databases', command: '<%= config.bin %> txn balances --db'},
  ];
  static override flags = {
    token: registryFlags.token,
    db: Flags.boolean({description: 'The demo accounts in the databases this DIAL_HOME used (committed balances)'}),
    participant: Flags.string({description: 'A database to read (implies --db; repeatable)', multiple: true}),
  };

  async run(): Promise<BalancesView | DbBalances> {
    const {flags} = await this.parse(TxnBalances);
    if (flags.db || flags.participant?.length) {
      const {dbBalances} = await import('../../src/txn/db/index.js');
      const b = await dbBalances(this.home, flags.participant ?? []);
      this.log(this.out.table(['DATABASE', 'ACCOUNT', 'BALANCE'], b.accounts.map((a) => [a.url, a.account, a.balance])));
      this.log(`\ntotal ${b.total}${b.conserved ? ` (conserved: ${b.accounts.length} x 100)` : `, expected ${b.expected}: NOT conserved`}${b.inDoubt ? `; ${b.inDoubt} branch(es) in doubt, not counted yet` : ''}`);
      if (!b.conserved && !b.inDoubt) process.exitCode = 1;
      return b;
    }
    const {TxnClient} = await import('../../src/txn/real/client.js');
    const client = TxnClient.open(this.home, flags.token);
    this.onFinally(() => client.close());
    const b = await client.balances();
    this.log(renderBalances(this.out, b));
    if (!b.conserved) process.exitCode = 1;
    return b;
  }
}
