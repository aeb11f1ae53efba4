import {Args, Flags} from '@oclif/core';
import type {HealthStatus} from '../registry/index.js';
import {DialCommand} from './base-command.js';
import {registryFlags} from './flags.js';

/** `dial check pass|warn|fail CHECK_ID [--note]`: one class, three statuses. */
export abstract class CheckUpdateCommand extends DialCommand {
  static override args = {checkId: Args.string({description: "Check ID (see 'dial health NAME'), e.g. service:worker-1", required: true})};
  static override flags = {
    ...registryFlags,
    note: Flags.string({description: 'Text stored as the check output'}),
  };

  protected abstract readonly status: HealthStatus;

  async run(): Promise<{registry: string; checkId: string; status: HealthStatus; note: string}> {
    const {args, flags} = await this.parse(this.constructor as typeof CheckUpdateCommand);
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    await registry.updateCheck(args.checkId, this.status, flags.note);
    this.log(`check ${args.checkId} is ${this.out.health(this.status)}${flags.note ? `: ${flags.note}` : ''}`);
    return {registry: registry.url, checkId: args.checkId, status: this.status, note: flags.note ?? ''};
  }
}
