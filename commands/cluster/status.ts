import {DialCommand} from '../../src/cli/index.js';
import {renderClusterStatus} from '../../src/cli/render/cluster.js';
import {clusterStatus, type ClusterStatus as Status} from '../../src/runtime/index.js';

export default class ClusterStatus extends DialCommand {
  static override summary = 'Show whether the local cluster runs, where, and its instances';
  static override description = 'Exit code 0 when the cluster runs, 3 when it does not (so scripts can test it).';
  static override examples = [
    {description: 'Human view', command: '<%= config.bin %> cluster status'},
    {description: 'For scripts', command: '<%= config.bin %> cluster status --json'},
  ];

  async run(): Promise<Status> {
    await this.parse(ClusterStatus);
    const status = await clusterStatus(this.home);
    this.log(renderClusterStatus(this.out, status));
    if (!status.running) process.exitCode = 3;
    return status;
  }
}
