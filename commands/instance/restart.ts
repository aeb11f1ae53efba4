import {Args} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {renderInstanceChange} from '../../src/cli/render/instance.js';
import {InstanceControl, type InstanceView} from '../../src/runtime/instance-control/index.js';

export default class InstanceRestart extends DialCommand {
  static override summary = 'Restart an instance (running or killed) and wait until it is ready';
  static override description = 'Stops the instance if it runs, starts a fresh process without faults, and returns once it is ready and its health check passes (it may come back on another port).';
  static override examples = [{description: 'Bring back a killed instance', command: '<%= config.bin %> instance restart greeter-grpc-2'}];
  static override args = {id: Args.string({description: 'Instance ID (see dial instance list)', required: true})};
  static override flags = {token: registryFlags.token};

  async run(): Promise<InstanceView> {
    const {args, flags} = await this.parse(InstanceRestart);
    const ctl = InstanceControl.open(this.home, flags.token);
    this.onFinally(() => ctl.close());
    const v = await ctl.restart(args.id);
    this.log(renderInstanceChange(this.out, 'restarted', v));
    return v;
  }
}
