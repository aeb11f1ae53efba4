import {Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {summarizeBench, type BenchSummary} from '../../src/txn/bench-stats.js';
import type {DbBenchResult} from '../../src/txn/db/index.js';

export default class TxnBench extends DialCommand {
  static override summary = 'Measure 2PC throughput and latency per phase on the real processes, or over real databases';
  static override description = `Runs transactions back to back on the coordinator and participants of the local cluster (2PC, no faults) and reports transactions/s and the latency of each phase. --no-fsync skips the fdatasync of every forced record, to show what durability costs.

With --participant (two or more database URLs), dial's coordinator runs the transactions over real databases instead (no cluster needed): each moves 1 between the rows bench-1..bench-N of dial_accounts (N = --concurrency, created at 100 if missing; back and forth, so the balances stay), --concurrency at a time, and reports transactions/s and p50/p99 latency. --no-fsync then skips only the coordinator's own fdatasync; the databases keep their fsync settings.`;
  static override examples = [
    {description: '200 transactions with real fsync', command: '<%= config.bin %> txn bench'},
    {description: 'The same without fsync', command: '<%= config.bin %> txn bench --no-fsync'},
    {description: '1000 transactions over two PostgreSQL databases, 8 at a time', command: '<%= config.bin %> txn bench --participant pg://postgres@127.0.0.1:5432/bank_a --participant pg://postgres@127.0.0.1:5432/bank_b --transactions 1000 --concurrency 8'},
  ];
  static override flags = {
    transactions: Flags.integer({description: 'How many transactions', default: 200, min: 1, max: 100_000}),
    participants: Flags.integer({description: 'Participants per transaction', default: 3, min: 1}),
    fsync: Flags.boolean({description: "fdatasync every forced log record (with --participant: the coordinator's)", default: true, allowNo: true}),
    participant: Flags.string({description: 'A database participant: pg://USER[:PW]@HOST:PORT/DB or mysql://... (repeatable, at least two)', multiple: true}),
    concurrency: Flags.integer({description: 'With --participant: transactions in flight at once', default: 1, min: 1, max: 64}),
    warmup: Flags.integer({description: 'With --participant: untimed transactions first (connections, JIT and the servers warm)', default: 0, min: 0, max: 100_000}),
    token: registryFlags.token,
  };

  async run(): Promise<BenchSummary | DbBenchResult> {
    const {flags} = await this.parse(TxnBench);
    if (flags.participant?.length) {
      const {benchDatabases} = await import('../../src/txn/db/index.js');
      const r = await benchDatabases(this.home, {participants: flags.participant, transactions: flags.transactions, concurrency: flags.concurrency, fsync: flags.fsync, warmup: flags.warmup});
      const l = r.latency;
      this.log(`2PC over ${r.participants.length} databases, ${r.concurrency} at a time, coordinator fsync ${r.fsync ? 'on' : 'off'}: ${r.transactions} transactions (${r.committed} committed) in ${r.wallMs} ms, ${this.out.color.bold(`${r.txPerSec} tx/s`)}`);
      this.log(this.out.table(['LATENCY', 'P50 ms', 'P99 ms', 'MEAN ms', 'MAX ms'], [['BEGIN -> END', l.p50, l.p99, l.mean, l.max]]));
      if (!r.conserved) {
        this.log('the bench rows do not hold the money they held before: a transfer was half applied');
        process.exitCode = 1;
      }
      return r;
    }
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
