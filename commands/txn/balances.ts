import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {renderBalances} from '../../src/cli/render/txn.js';
import type {BalancesView} from '../../src/txn/real/wire.js';

export default class TxnBalances extends DialCommand {
  static override summary = 'Show the account balances and whether the total is conserved';
  static override description = 'Each participant holds one account (p1: a, p2: b, ...) that starts at 100. Balances of processes that are down come from their logs. Exit code 1 when the total is not conserved (an atomicity violation).';
  static override examples = [
    {description: 'Human view', command: '<%= config.bin %> txn balances'},
    {description: 'For scripts', command: '<%= config.bin %> txn balances --json'},
  ];
  static override flags = {token: registryFlags.token};

  async run(): Promise<BalancesView> {
    const {flags} = await this.parse(TxnBalances);
    const {TxnClient} = await import('../../src/txn/real/client.js');
    const client = TxnClient.open(this.home, flags.token);
    this.onFinally(() => client.close());
    const b = await client.balances();
    this.log(renderBalances(this.out, b));
    if (!b.conserved) process.exitCode = 1;
    return b;
  }
}
