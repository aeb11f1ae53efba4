import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {renderInstanceChange} from '../../src/cli/render/instance.js';
import {InstanceControl, type InstanceView} from '../../src/runtime/instance-control/index.js';

export default class InstanceKill extends DialCommand {
  static override summary = 'Kill an instance process (a real crash) and wait for it to exit';
  static override description = 'Sends SIGKILL by default: the instance does not deregister, so its health check turns critical and balancers must route around it. SIGTERM is a clean stop (it deregisters). Bring it back with dial instance restart ID.';
  static override examples = [
    {description: 'Crash greeter-grpc-2', command: '<%= config.bin %> instance kill greeter-grpc-2'},
    {description: 'Stop it cleanly instead', command: '<%= config.bin %> instance kill greeter-grpc-2 --signal SIGTERM'},
  ];
  static override args = {id: Args.string({description: 'Instance ID (see dial instance list)', required: true})};
  static override flags = {
    signal: Flags.string({description: 'Signal to send', options: ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGSTOP', 'SIGCONT', 'SIGHUP', 'SIGQUIT'], default: 'SIGKILL'}),
    token: registryFlags.token,
  };

  async run(): Promise<InstanceView> {
    const {args, flags} = await this.parse(InstanceKill);
    const ctl = InstanceControl.open(this.home, flags.token);
    this.onFinally(() => ctl.close());
    const v = await ctl.kill(args.id, flags.signal as NodeJS.Signals);
    this.log(renderInstanceChange(this.out, `sent ${flags.signal}`, v));
    return v;
  }
}
