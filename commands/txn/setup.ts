import {Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import {renderSetup} from '../../src/cli/render/txn-db.js';
import type {SetupResult} from '../../src/txn/db/index.js';

export default class TxnSetup extends DialCommand {
  static override summary = 'Create the demo accounts in real databases (PostgreSQL, MariaDB/MySQL) for dial txn run --participant';
  static override description = `Idempotent. In the i-th database (created if missing) it creates the table dial_accounts (name, balance CHECK (balance >= 0)) with the account of the i-th participant (a, b, c, ...) at 100; --reset puts it back to 100. Checks what 2PC needs: max_prepared_transactions > 0 on PostgreSQL, XA RECOVER on MariaDB/MySQL. Passwords go in the URL or in PGPASSWORD / MYSQL_PWD. dial remembers the databases (without passwords) for txn status, recover and balances --db.`;
  static override examples = [
    {description: 'Two PostgreSQL databases and one MariaDB', command: '<%= config.bin %> txn setup --participant pg://postgres@127.0.0.1:5432/bank_a --participant pg://postgres@127.0.0.1:5432/bank_b --participant mysql://root@127.0.0.1:3306/bank_c'},
    {description: 'Back to 100 each', command: '<%= config.bin %> txn setup --participant pg://postgres@127.0.0.1:5432/bank_a --participant mysql://root@127.0.0.1:3306/bank_c --reset'},
  ];
  static override flags = {
    participant: Flags.string({description: 'A database URL: pg://USER[:PW]@HOST:PORT/DB or mysql://USER[:PW]@HOST:PORT/DB (repeatable, in order)', multiple: true, required: true}),
    reset: Flags.boolean({description: 'Set the balances back to 100'}),
  };

  async run(): Promise<SetupResult> {
    const {flags} = await this.parse(TxnSetup);
    const {setupDatabases} = await import('../../src/txn/db/index.js');
    const s = await setupDatabases(this.home, flags.participant, flags.reset);
    this.log(renderSetup(this.out, s));
    return s;
  }
}
