import {Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import type {DbStatus} from '../../src/txn/db/index.js';
import {parseDurationFlag} from '../../src/util/index.js';
import {renderStatus} from '../../src/cli/render/txn.js';
import type {StatusView} from '../../src/txn/real/wire.js';

export default class TxnStatus extends DialCommand {
  static override summary = 'Show the txn processes: up or down, balances, in-doubt transactions and locks';
  static override description = 'Live processes are asked; a process that is down is read from its durable log (what it will recover to).';
  static override examples = [
    {description: 'Human view', command: '<%= config.bin %> txn status'},
    {description: 'For scripts', command: '<%= config.bin %> txn status --json'},
    {description: 'In-doubt branches in the real databases', command: '<%= config.bin %> txn status --db'},
  ];
  static override flags = {
    token: registryFlags.token,
    db: Flags.boolean({description: 'The databases this DIAL_HOME used (dial txn setup/run --participant): in-doubt branches, their age, the rows they lock'}),
    participant: Flags.string({description: 'A database to look at (implies --db; repeatable)', multiple: true}),
    'lock-wait': Flags.string({description: 'With --db: how long a plain UPDATE of a locked row may wait to show the blocking (0: do not try)', default: '1s'}),
  };

  async run(): Promise<StatusView | DbStatus> {
    const {flags} = await this.parse(TxnStatus);
    if (flags.db || flags.participant?.length) {
      const {dbStatus} = await import('../../src/txn/db/index.js');
      const {renderDbStatus} = await import('../../src/cli/render/txn-db.js');
      const s = await dbStatus(this.home, flags.participant ?? [], parseDurationFlag('lock-wait', flags['lock-wait']));
      this.log(renderDbStatus(this.out, s));
      return s;
    }
    const {TxnClient} = await import('../../src/txn/real/client.js');
    const client = TxnClient.open(this.home, flags.token);
    this.onFinally(() => client.close());
    const s = await client.status();
    this.log(renderStatus(this.out, s));
    return s;
  }
}
