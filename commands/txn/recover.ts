import {Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {liveRows, newTimeline, renderOutcome} from '../../src/cli/render/txn.js';
import type {DbRecoverResult} from '../../src/txn/db/index.js';
import type {RunResult} from '../../src/txn/real/wire.js';
import {parseDurationFlag} from '../../src/util/index.js';

export default class TxnRecover extends DialCommand {
  static override summary = 'Restart crashed txn processes, heal the network, and watch them recover from their logs';
  static override description = 'Every txn process that is down restarts and rebuilds its state from its durable log: decided transactions stay decided, in-doubt ones lock their accounts again and ask around (2PC: the coordinator and the peers; 3PC: everyone, then the termination protocol). Network faults of the last run are cleared. Watches until nothing is in doubt, or --max-time.';
  static override examples = [
    {description: 'After a run that crashed the coordinator', command: '<%= config.bin %> txn recover'},
    {description: 'For scripts', command: '<%= config.bin %> txn recover --json'},
    {description: 'Resolve the branches a crashed coordinator left in the databases', command: '<%= config.bin %> txn recover --db'},
  ];
  static override flags = {
    'max-time': Flags.string({description: 'Stop watching after this long', default: '5s'}),
    token: registryFlags.token,
    db: Flags.boolean({description: "Resolve the in-doubt branches this DIAL_HOME's coordinator left in the databases: its logged decision, or presumed abort"}),
    participant: Flags.string({description: 'A database to recover in (implies --db; repeatable)', multiple: true}),
    'force-abort': Flags.string({description: 'With --db: roll back this in-doubt branch although it is not ours (repeatable)', multiple: true}),
  };

  async run(): Promise<RunResult | DbRecoverResult> {
    const {flags} = await this.parse(TxnRecover);
    if (flags.db || flags.participant?.length || flags['force-abort']?.length) {
      const {recoverDatabases} = await import('../../src/txn/db/index.js');
      const {renderDbRecover} = await import('../../src/cli/render/txn-db.js');
      const r = await recoverDatabases(this.home, flags.participant ?? [], flags['force-abort'] ?? []);
      this.log(renderDbRecover(this.out, r));
      return r;
    }
    const maxTimeMs = parseDurationFlag('max-time', flags['max-time']);
    const {TxnClient} = await import('../../src/txn/real/client.js');
    const client = TxnClient.open(this.home, flags.token);
    this.onFinally(() => client.close());
    const status = await client.status();
    const lane = newTimeline(this.out, status.processes.map((p) => p.proc).filter((p) => p !== 'c'));
    const down = status.processes.filter((p) => !p.up).map((p) => p.proc);
    this.log(down.length ? `restarting ${down.join(', ')}` : 'nothing is down; healing the network and waiting for in-doubt transactions');
    this.log(lane.header().join('\n'));
    const result = await client.recover(maxTimeMs, liveRows(lane, (l) => this.log(l)), this.signal);
    this.log(renderOutcome(this.out, result));
    return result;
  }
}
