import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {liveRows, newTimeline, renderOutcome, wrap} from '../../src/cli/render/txn.js';
import {usageError} from '../../src/errors/index.js';
import {participantIds} from '../../src/txn/bank.js';
import type {RunResult} from '../../src/txn/real/wire.js';
import {buildRunRequest} from '../../src/txn/run-request.js';
import {findScenario, SCENARIOS} from '../../src/txn/scenarios.js';
import {didYouMean, parseDurationFlag} from '../../src/util/index.js';

export default class TxnScenario extends DialCommand {
  static override summary = 'Run a canned scenario on fresh accounts, with its timeline and an explanation';
  static override description = `Resets the txn processes (fresh accounts of 100), runs the scenario on real processes, restarts what crashed when the scenario says so, and explains what happened. Scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}.`;
  static override examples = [
    {description: '2PC blocks when the coordinator dies', command: '<%= config.bin %> txn scenario 2pc-blocking'},
    {description: 'The same crash under 3PC', command: '<%= config.bin %> txn scenario 3pc-nonblocking'},
    {description: "3PC's flaw under a partition", command: '<%= config.bin %> txn scenario 3pc-partition'},
  ];
  static override args = {name: Args.string({description: 'Scenario name (see dial txn scenarios)', required: true})};
  static override flags = {
    timeout: Flags.string({description: 'Protocol timeout T', default: '500ms'}),
    token: registryFlags.token,
  };

  async run(): Promise<{scenario: string; run: RunResult; recover?: RunResult}> {
    const {args, flags} = await this.parse(TxnScenario);
    const s = findScenario(args.name);
    if (!s) throw usageError(`no scenario '${args.name}'${didYouMean(args.name, SCENARIOS.map((x) => x.name))}`, "see 'dial txn scenarios'");
    const req = buildRunRequest({...s.flags, timeoutMs: parseDurationFlag('timeout', flags.timeout), maxTimeMs: s.flags.maxTimeMs ?? 3000});
    const {TxnClient} = await import('../../src/txn/real/client.js');
    const client = TxnClient.open(this.home, flags.token);
    this.onFinally(() => client.close());
    const c = this.out.color;
    await client.reset();
    this.log(`${c.bold(s.title)}\n${wrap(s.before)}\n`);
    const lane = newTimeline(this.out, participantIds(req.participants), {p1: 100, p2: 100, p3: 100});
    this.log(lane.header().join('\n'));
    const run = await client.run(req, liveRows(lane, (l) => this.log(l)), this.signal);
    this.log(renderOutcome(this.out, run));
    let recover: RunResult | undefined;
    if (s.recover) {
      this.log(`\n${c.bold('dial txn recover')}: restart the crashed processes; they recover from their logs\n`);
      recover = await client.recover(5000, liveRows(lane, (l) => this.log(l)), this.signal);
      this.log(renderOutcome(this.out, recover));
    }
    this.log(`\n${c.bold('What happened')}\n${wrap(s.after)}`);
    return {scenario: s.name, run, recover};
  }
}
