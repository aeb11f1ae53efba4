import {CheckUpdateCommand} from '../../src/cli/check-update-command.js';

export default class CheckWarn extends CheckUpdateCommand {
  static override summary = 'Mark a TTL check warning (and reset its TTL)';
  static override description = "Reports a TTL check (registered with --check-ttl) as warning, with an optional note as its output, like consul's agent/check/warn. Exit 1 for an unknown check or one that is not a TTL check.";
  static override examples = [
    {description: 'Report the TTL check of instance worker-1', command: '<%= config.bin %> check warn service:worker-1 --note "queue depth 12"'},
  ];

  // oclif's parser reads own static properties only, so the shared args and flags are restated here.
  static override args = CheckUpdateCommand.args;
  static override flags = CheckUpdateCommand.flags;

  protected readonly status = 'warning' as const;
}
