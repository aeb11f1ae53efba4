import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {renderInstances} from '../../src/cli/render/instance.js';
import {InstanceControl, type InstanceView} from '../../src/runtime/instance-control/index.js';

export default class InstanceList extends DialCommand {
  static override summary = 'List the instances of the local cluster with their health and injected faults';
  static override description = 'Every demo instance the cluster daemon supervises: process state, pid, port, registry health and the faults set with dial instance slow|fail|hang.';
  static override examples = [
    {description: 'Human view', command: '<%= config.bin %> instance list'},
    {description: 'For scripts', command: '<%= config.bin %> instance list --json'},
  ];
  static override flags = {token: registryFlags.token};

  async run(): Promise<{instances: InstanceView[]}> {
    const {flags} = await this.parse(InstanceList);
    const ctl = InstanceControl.open(this.home, flags.token);
    this.onFinally(() => ctl.close());
    const instances = await ctl.list();
    this.log(renderInstances(this.out, instances));
    return {instances};
  }
}
