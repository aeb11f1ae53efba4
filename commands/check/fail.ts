import {CheckUpdateCommand} from '../../src/cli/check-update-command.js';

export default class CheckFail extends CheckUpdateCommand {
  static override summary = 'Mark a TTL check critical';
  static override description = "Reports a TTL check (registered with --check-ttl) as critical, with an optional note as its output, like consul's agent/check/fail. Exit 1 for an unknown check or one that is not a TTL check.";
  static override examples = [
    {description: 'Report the TTL check of instance worker-1', command: '<%= config.bin %> check fail service:worker-1 --note "queue depth 12"'},
  ];

  // oclif's parser reads own static properties only, so the shared args and flags are restated here.
  static override args = CheckUpdateCommand.args;
  static override flags = CheckUpdateCommand.flags;

  protected readonly status = 'critical' as const;
}
