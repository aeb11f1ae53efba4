import {Args} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {renderInstanceChange} from '../../src/cli/render/instance.js';
import {InstanceControl, type InstanceView} from '../../src/runtime/instance-control/index.js';

export default class InstanceHeal extends DialCommand {
  static override summary = 'Clear every fault injected into an instance';
  static override description = 'Removes added latency, error rate and hang set with dial instance slow|fail|hang. A killed instance needs dial instance restart instead.';
  static override examples = [{description: 'Heal greeter-grpc-2', command: '<%= config.bin %> instance heal greeter-grpc-2'}];
  static override args = {id: Args.string({description: 'Instance ID (see dial instance list)', required: true})};
  static override flags = {token: registryFlags.token};

  async run(): Promise<InstanceView> {
    const {args, flags} = await this.parse(InstanceHeal);
    const ctl = InstanceControl.open(this.home, flags.token);
    this.onFinally(() => ctl.close());
    const v = await ctl.heal(args.id);
    this.log(renderInstanceChange(this.out, 'healed', v));
    return v;
  }
}
