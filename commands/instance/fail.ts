import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import {renderInstanceChange} from '../../src/cli/render/instance.js';
import {usageError} from '../../src/errors/index.js';
import {InstanceControl, type InstanceView} from '../../src/runtime/instance-control/index.js';

export default class InstanceFail extends DialCommand {
  static override summary = 'Make an instance fail a fraction of its requests with UNAVAILABLE';
  static override description = 'Each request fails fast with gRPC status UNAVAILABLE (14) with probability RATE; the process and its health check stay up, as with a broken dependency. Undo with dial instance heal ID.';
  static override examples = [
    {description: 'Fail every request of greeter-grpc-3', command: '<%= config.bin %> instance fail greeter-grpc-3'},
    {description: 'Fail half of them', command: '<%= config.bin %> instance fail greeter-grpc-3 --rate 50%'},
  ];
  static override args = {id: Args.string({description: 'Instance ID (see dial instance list)', required: true})};
  static override flags = {
    rate: Flags.string({description: 'Fraction of requests that fail: 0..1 or a percentage like 50%', default: '1'}),
    token: registryFlags.token,
  };

  async run(): Promise<InstanceView> {
    const {args, flags} = await this.parse(InstanceFail);
    const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(flags.rate.trim());
    const errorRate = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
    if (!(errorRate >= 0 && errorRate <= 1)) throw usageError(`--rate: '${flags.rate}' is not a fraction`, 'write 0..1 (0.25) or a percentage (25%)');
    const ctl = InstanceControl.open(this.home, flags.token);
    this.onFinally(() => ctl.close());
    const v = await ctl.fault(args.id, {errorRate});
    this.log(renderInstanceChange(this.out, 'failing', v));
    return v;
  }
}
