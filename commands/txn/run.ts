import {Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {liveRows, newTimeline, renderOutcome, renderSimulated} from '../../src/cli/render/txn.js';
import {usageError} from '../../src/errors/index.js';
import type {DbRunResult} from '../../src/txn/db/index.js';
import {crashPointsHelp} from '../../src/txn/crash-points.js';
import type {RunResult} from '../../src/txn/real/wire.js';
import {buildRunRequest} from '../../src/txn/run-request.js';
import {parseDurationFlag} from '../../src/util/index.js';

export default class TxnRun extends DialCommand {
  static override summary = 'Run one distributed transaction (2PC or 3PC) on real processes, with faults, and watch it';
  static override description = `A coordinator (c) and N participants (p1..pN, holding accounts a, b, c, ... of 100 each) run as separate processes of the local cluster, each with its own fsynced log. The transfer moves money between accounts atomically, or not at all. The timeline has one column per process: arrows are messages, ▣ a forced (fsynced) log record, □ a buffered one, ✖ a crash (a real SIGKILL), ◷ a timeout, ↻ a recovery.

${crashPointsHelp()}

Messages (for --drop and --delay): PREPARE VOTE PRECOMMIT ACK COMMIT ABORT INQUIRE UNCERTAIN STATE-REQ STATE NACK, optionally FROM->TO:TYPE (e.g. c->p2:COMMIT), * for any.
--in-process runs the same state machines in a simulator (no cluster needed, deterministic for --seed), then repairs every failure and checks every invariant; with --random-faults it replays the randomized trial of --seed.`;

  static override examples = [
    {description: 'A transfer under 2PC', command: "<%= config.bin %> txn run --transfer 'a->b:30'"},
    {description: 'The coordinator dies after deciding: 2PC participants block', command: '<%= config.bin %> txn run --crash coordinator:after-decision'},
    {description: 'The same under 3PC: the participants elect a new coordinator', command: '<%= config.bin %> txn run --protocol 3pc --crash coordinator:after-decision'},
    {description: 'Lose the first COMMIT to p2 and slow down votes', command: "<%= config.bin %> txn run --drop 'c->p2:COMMIT#1' --delay VOTE:100"},
    {description: '3PC under a partition that starts after the first PRECOMMIT', command: "<%= config.bin %> txn run --protocol 3pc --partition 'c,p1|p2,p3@c:partial-precommit'"},
    {description: 'A transfer between two PostgreSQL databases and a MariaDB (see dial txn setup)', command: "<%= config.bin %> txn run --participant pg://postgres@127.0.0.1:5432/bank_a --participant pg://postgres@127.0.0.1:5432/bank_b --participant mysql://root@127.0.0.1:3306/bank_c --transfer 'a->b:30'"},
    {description: 'Leave real branches in doubt: the coordinator dies after the votes', command: '<%= config.bin %> txn run --participant pg://postgres@127.0.0.1:5432/bank_a --participant mysql://root@127.0.0.1:3306/bank_c --crash coordinator:after-votes'},
    {description: 'Replay randomized trial 17 in the simulator', command: '<%= config.bin %> txn run --in-process --random-faults --seed 17'},
  ];

  static override flags = {
    protocol: Flags.string({description: 'Commit protocol', options: ['2pc', '3pc'], default: '2pc'}),
    participants: Flags.integer({description: 'Number of participants (2-8)', default: 3}),
    transfer: Flags.string({description: "Transfers FROM->TO:AMOUNT, comma-separated (accounts a, b, c, ...)", default: 'a->b:30'}),
    'vote-no': Flags.string({description: 'This participant votes no (repeatable)', multiple: true}),
    crash: Flags.string({description: 'Crash WHO at POINT, WHO:POINT (repeatable; points above)', multiple: true}),
    drop: Flags.string({description: 'Lose messages [FROM->TO:]TYPE[#COUNT] (repeatable)', multiple: true}),
    delay: Flags.string({description: 'Delay messages [FROM->TO:]TYPE:MS[-MS] (repeatable)', multiple: true}),
    partition: Flags.string({description: "Cut the network into groups: 'c,p1|p2,p3', from '@WHO:POINT' or '@MS' on"}),
    loss: Flags.string({description: 'Lose any message with this probability (0-1), drawn from --seed'}),
    seed: Flags.integer({description: 'Seed for random delays and loss (and the whole run with --in-process)', default: 1}),
    timeout: Flags.string({description: 'Protocol timeout T: votes wait T, a READY participant 2T', default: '500ms'}),
    'max-time': Flags.string({description: 'Stop watching after this long when participants stay blocked', default: '3s'}),
    'in-process': Flags.boolean({description: 'Simulate in this process (no cluster), then repair and check every invariant'}),
    'random-faults': Flags.boolean({description: 'With --in-process: the randomized trial of --seed, as the test suite runs it', dependsOn: ['in-process']}),
    participant: Flags.string({description: "A real participant: pg://USER@HOST:PORT/DB, mysql://USER@HOST:PORT/DB, or 'dial' (one of dial's own); repeatable, in order (p1, p2, ...)", multiple: true}),
    sql: Flags.string({description: "With --participant: the i-th branch's own statements (';'-separated) instead of the demo transfer; repeatable, in order", multiple: true, dependsOn: ['participant']}),
    token: registryFlags.token,
  };

  async run(): Promise<RunResult | DbRunResult> {
    const {flags} = await this.parse(TxnRun);
    const dbMode = Boolean(flags.participant?.length);
    if (dbMode && flags.protocol !== '2pc') throw usageError('--protocol 3pc: databases speak only 2PC (PREPARE TRANSACTION, XA)', 'leave out --protocol with --participant');
    const req = buildRunRequest({
      protocol: flags.protocol, participants: dbMode ? flags.participant!.length : flags.participants, transfer: flags.transfer, voteNo: flags['vote-no'], crash: flags.crash,
      drop: flags.drop, delay: flags.delay, partition: flags.partition, loss: flags.loss === undefined ? undefined : Number(flags.loss), seed: flags.seed,
      timeoutMs: parseDurationFlag('timeout', flags.timeout), maxTimeMs: parseDurationFlag('max-time', flags['max-time']),
    });
    if (dbMode) {
      const {runDbTransactionInChild} = await import('../../src/txn/db/spawn.js');
      const {dbTimeline, renderDbOutcome} = await import('../../src/cli/render/txn-db.js');
      const {parseParticipants} = await import('../../src/txn/db/run.js');
      const lane = dbTimeline(this.out, parseParticipants(flags.participant!).map((p) => ({proc: p.pid, url: p.target?.display ?? 'dial'})));
      this.log(this.out.color.bold(`2PC over databases  ${flags.sql?.length ? '--sql' : `transfer ${req.transfer}`}`));
      this.log(lane.header().join('\n'));
      const r = await runDbTransactionInChild(this.home, {participants: flags.participant!, transfer: req.transfer, sql: flags.sql, faults: req.faults, timeoutMs: req.timeoutMs, maxTimeMs: req.maxTimeMs, seed: req.seed}, (e) => liveRows(lane, (l) => this.log(l))([e]));
      this.log(renderDbOutcome(this.out, r));
      if (r.outcome === 'split' || r.violations.length) process.exitCode = 1;
      return r;
    }
    if (flags['in-process']) {
      const {simulateRun} = await import('../../src/txn/simulate.js');
      const sim = await simulateRun(req, flags['random-faults']);
      this.log(renderSimulated(this.out, sim));
      if (sim.violations.length || sim.outcome === 'split') process.exitCode = 1;
      return sim;
    }
    const {TxnClient} = await import('../../src/txn/real/client.js');
    const client = TxnClient.open(this.home, flags.token);
    this.onFinally(() => client.close());
    const lane = newTimeline(this.out, Array.from({length: req.participants}, (_, i) => `p${i + 1}`));
    this.log(this.out.color.bold(`${req.protocol.toUpperCase()}  transfer ${req.transfer}`));
    this.log(lane.header().join('\n'));
    const result = await client.run(req, (events) => {
      const rows = lane.rows(events);
      if (rows.length) this.log(rows.join('\n'));
    }, this.signal);
    this.log(renderOutcome(this.out, result));
    if (result.outcome === 'split') process.exitCode = 1;
    return result;
  }
}
