import {Args} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {renderInstanceChange} from '../../src/cli/render/instance.js';
import {InstanceControl, type InstanceView} from '../../src/runtime/instance-control/index.js';

export default class InstanceHang extends DialCommand {
  static override summary = 'Make an instance hang: it accepts requests and never answers';
  static override description = 'Calls to the instance run into their deadline (DEADLINE_EXCEEDED). Undo with dial instance heal ID.';
  static override examples = [{description: 'Hang greeter-grpc-1', command: '<%= config.bin %> instance hang greeter-grpc-1'}];
  static override args = {id: Args.string({description: 'Instance ID (see dial instance list)', required: true})};
  static override flags = {token: registryFlags.token};

  async run(): Promise<InstanceView> {
    const {args, flags} = await this.parse(InstanceHang);
    const ctl = InstanceControl.open(this.home, flags.token);
    this.onFinally(() => ctl.close());
    const v = await ctl.fault(args.id, {hang: true});
    this.log(renderInstanceChange(this.out, 'hanging', v));
    return v;
  }
}
