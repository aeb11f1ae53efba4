import {Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import {clusterDown, type ClusterDownResult} from '../../src/runtime/index.js';
import {parseDurationFlag} from '../../src/util/index.js';

export default class ClusterDown extends DialCommand {
  static override summary = 'Stop the local cluster and every process it started';
  static override description = 'Sends SIGTERM to the daemon, which stops its instances and deregisters them; after --timeout it uses SIGKILL. Instances left behind by a crashed daemon are killed too. Running it when nothing runs is not an error.';
  static override examples = [
    {description: 'Stop the cluster', command: '<%= config.bin %> cluster down'},
    {description: 'As JSON, waiting at most 5s before SIGKILL', command: '<%= config.bin %> cluster down --timeout 5s --json'},
  ];
  static override flags = {
    timeout: Flags.string({description: 'Grace period before SIGKILL', default: '10s'}),
  };

  async run(): Promise<ClusterDownResult> {
    const {flags} = await this.parse(ClusterDown);
    const result = await clusterDown(this.home, parseDurationFlag('timeout', flags.timeout));
    if (result.wasRunning) this.log(`cluster stopped (daemon pid ${result.pid})`);
    else this.log(result.cleanedStale ? 'no cluster was running; removed files a dead daemon left behind' : 'no cluster was running');
    if (result.orphansKilled) this.log(`killed ${result.orphansKilled} instance process(es) the daemon had left running`);
    return result;
  }
}
