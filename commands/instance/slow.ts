import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {renderInstanceChange} from '../../src/cli/render/instance.js';
import {InstanceControl, type InstanceView} from '../../src/runtime/instance-control/index.js';
import {parseDurationFlag} from '../../src/util/index.js';

export default class InstanceSlow extends DialCommand {
  static override summary = 'Make an instance slow: add latency to every request it serves';
  static override description = 'The instance waits LATENCY before it answers each request (other faults are kept). Undo with dial instance heal ID, or set --latency 0.';
  static override examples = [
    {description: 'Add 200ms to every call of greeter-grpc-2', command: '<%= config.bin %> instance slow greeter-grpc-2'},
    {description: 'Add 50ms', command: '<%= config.bin %> instance slow greeter-grpc-2 --latency 50ms'},
  ];
  static override args = {id: Args.string({description: 'Instance ID (see dial instance list)', required: true})};
  static override flags = {
    latency: Flags.string({description: 'Added latency per request, e.g. 50ms, 1.5s', default: '200ms'}),
    token: registryFlags.token,
  };

  async run(): Promise<InstanceView> {
    const {args, flags} = await this.parse(InstanceSlow);
    const latencyMs = parseDurationFlag('latency', flags.latency);
    const ctl = InstanceControl.open(this.home, flags.token);
    this.onFinally(() => ctl.close());
    const v = await ctl.fault(args.id, {latencyMs});
    this.log(renderInstanceChange(this.out, 'slowed', v));
    return v;
  }
}
