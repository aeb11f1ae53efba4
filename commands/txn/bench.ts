import {Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {summarizeBench, type BenchSummary} from '../../src/txn/bench-stats.js';

export default class TxnBench extends DialCommand {
  static override summary = 'Measure 2PC throughput and latency per phase on the real processes';
  static override description = 'Runs transactions back to back on the coordinator and participants of the local cluster (2PC, no faults) and reports transactions/s and the latency of each phase. --no-fsync skips the fdatasync of every forced record, to show what durability costs.';
  static override examples = [
    {description: '200 transactions with real fsync', command: '<%= config.bin %> txn bench'},
    {description: 'The same without fsync', command: '<%= config.bin %> txn bench --no-fsync'},
  ];
  static override flags = {
    transactions: Flags.integer({description: 'How many transactions', default: 200, min: 1}),
    participants: Flags.integer({description: 'Participants per transaction', default: 3, min: 1}),
    fsync: Flags.boolean({description: 'fdatasync every forced log record', default: true, allowNo: true}),
    token: registryFlags.token,
  };

  async run(): Promise<BenchSummary> {
    const {flags} = await this.parse(TxnBench);
    const {TxnClient} = await import('../../src/txn/real/client.js');
    const client = TxnClient.open(this.home, flags.token);
    this.onFinally(() => client.close());
    const s = summarizeBench(await client.bench(flags.transactions, flags.fsync, flags.participants), flags.fsync);
    const p = s.phases;
    this.log(`2PC, ${flags.participants} participants, fsync ${s.fsync ? 'on' : 'off'}: ${s.transactions} transactions (${s.committed} committed), ${this.out.color.bold(`${s.txPerSec} tx/s`)}`);
    this.log(this.out.table(['PHASE', 'P50 ms', 'P95 ms', 'MEAN ms'], [
      ['prepare (PREPARE -> all votes)', p.prepare.p50, p.prepare.p95, p.prepare.mean],
      ['coordinator forces COMMIT', p.force.p50, p.force.p95, p.force.mean],
      ['commit (COMMIT -> all ACKs)', p.commit.p50, p.commit.p95, p.commit.mean],
      ['total', p.total.p50, p.total.p95, p.total.mean],
    ]));
    return s;
  }
}
