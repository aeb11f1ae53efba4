import {DialCommand, registryFlags} from '../../src/cli/index.js';

export default class TxnReset extends DialCommand {
  static override summary = 'Stop the txn processes and delete their logs: fresh accounts of 100';
  static override description = 'Scenarios do this before they run. The next txn run starts the processes again.';
  static override examples = [{description: 'Start over', command: '<%= config.bin %> txn reset'}];
  static override flags = {token: registryFlags.token};

  async run(): Promise<{reset: boolean}> {
    const {flags} = await this.parse(TxnReset);
    const {TxnClient} = await import('../../src/txn/real/client.js');
    const client = TxnClient.open(this.home, flags.token);
    this.onFinally(() => client.close());
    await client.reset();
    this.log('txn processes stopped and logs deleted; accounts start again at 100');
    return {reset: true};
  }
}
