import {DialCommand} from '../../src/cli/index.js';
import {SCENARIOS, type Scenario} from '../../src/txn/scenarios.js';

export default class TxnScenarios extends DialCommand {
  static override summary = 'List the canned 2PC/3PC scenarios';
  static override description = "Each scenario runs on the real processes of the local cluster with fresh accounts; run one with 'dial txn scenario NAME'.";
  static override examples = [{description: 'List them', command: '<%= config.bin %> txn scenarios'}];

  async run(): Promise<Scenario[]> {
    await this.parse(TxnScenarios);
    this.log(this.out.table(['NAME', 'PROTOCOL', 'WHAT IT SHOWS'], SCENARIOS.map((s) => [s.name, s.flags.protocol.toUpperCase(), s.title])));
    this.log("\nrun one: dial txn scenario NAME");
    return SCENARIOS;
  }
}
