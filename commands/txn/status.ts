import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {renderStatus} from '../../src/cli/render/txn.js';
import type {StatusView} from '../../src/txn/real/wire.js';

export default class TxnStatus extends DialCommand {
  static override summary = 'Show the txn processes: up or down, balances, in-doubt transactions and locks';
  static override description = 'Live processes are asked; a process that is down is read from its durable log (what it will recover to).';
  static override examples = [
    {description: 'Human view', command: '<%= config.bin %> txn status'},
    {description: 'For scripts', command: '<%= config.bin %> txn status --json'},
  ];
  static override flags = {token: registryFlags.token};

  async run(): Promise<StatusView> {
    const {flags} = await this.parse(TxnStatus);
    const {TxnClient} = await import('../../src/txn/real/client.js');
    const client = TxnClient.open(this.home, flags.token);
    this.onFinally(() => client.close());
    const s = await client.status();
    this.log(renderStatus(this.out, s));
    return s;
  }
}
