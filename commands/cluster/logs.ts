import {Args, Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import {followLogs, readLogs} from '../../src/runtime/index.js';

export default class ClusterLogs extends DialCommand {
  static override summary = 'Show the daemon log, or an instance log';
  static override description = 'Prints DIAL_HOME/daemon.log (or DIAL_HOME/instances/ID.log). With -f, keeps printing new lines until Ctrl-C.';
  static override examples = [
    {description: 'The last 50 lines of the daemon log', command: '<%= config.bin %> cluster logs -n 50'},
    {description: 'Follow one instance', command: '<%= config.bin %> cluster logs greeter-grpc-1 -f'},
  ];
  static override args = {
    instance: Args.string({description: 'Instance ID (default: the daemon)'}),
  };
  static override flags = {
    follow: Flags.boolean({char: 'f', description: 'Keep printing new lines'}),
    lines: Flags.integer({char: 'n', description: 'Number of lines from the end', default: 200, min: 0}),
  };

  async run(): Promise<{file: string; lines: string[]} | void> {
    const {args, flags} = await this.parse(ClusterLogs);
    const {file, lines} = await readLogs(this.home, args.instance, flags.lines);
    if (this.jsonEnabled() && !flags.follow) return {file, lines};
    const print = this.jsonEnabled() ? (line: string) => this.out.ndjson({file, line}) : (line: string) => this.out.line(line);
    for (const l of lines) print(l);
    if (flags.follow) await followLogs(file, print, this.signal);
  }
}
