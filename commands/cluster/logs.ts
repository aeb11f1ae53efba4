import {Args, Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import {usageError} from '../../src/errors/index.js';
import {followLogs, readLogs} from '../../src/runtime/index.js';

export default class ClusterLogs extends DialCommand {
  static override summary = 'Show the daemon log, or an instance log';
  static override description = 'Prints DIAL_HOME/daemon.log (or DIAL_HOME/instances/ID.log). With -f, keeps printing new lines until Ctrl-C. With --trace ID, prints the lines of the daemon log and every instance log (or only INSTANCE\'s) that mention that trace id, in time order: what one `dial call` did across processes.';
  static override examples = [
    {description: 'The last 50 lines of the daemon log', command: '<%= config.bin %> cluster logs -n 50'},
    {description: 'Follow one instance', command: '<%= config.bin %> cluster logs greeter-grpc-1 -f'},
    {description: 'Follow a call through the cluster (the id from `dial call -v`)', command: '<%= config.bin %> cluster logs --trace 4bf92f3577b34da6a3ce929d0e0e4736'},
  ];
  static override args = {
    instance: Args.string({description: 'Instance ID (default: the daemon)'}),
  };
  static override flags = {
    follow: Flags.boolean({char: 'f', description: 'Keep printing new lines'}),
    lines: Flags.integer({char: 'n', description: 'Number of lines from the end', default: 200, min: 0}),
    trace: Flags.string({description: 'Only lines mentioning this W3C trace id, from the daemon and all instance logs'}),
  };

  async run(): Promise<{file: string; lines: string[]} | {trace: string; lines: {source: string; line: string}[]} | void> {
    const {args, flags} = await this.parse(ClusterLogs);
    if (flags.trace !== undefined) {
      if (flags.follow) throw usageError('--trace and --follow cannot be combined', 'run --trace again after the call');
      const {traceLogLines} = await import('../../src/metrics/trace-logs.js');
      const lines = await traceLogLines(this.home, flags.trace, args.instance);
      if (lines.length === 0) this.out.note(`no log line mentions trace ${flags.trace}`);
      for (const l of lines) this.log(`${l.source.padEnd(16)} ${l.line}`);
      return {trace: flags.trace, lines};
    }
    const {file, lines} = await readLogs(this.home, args.instance, flags.lines);
    if (this.jsonEnabled() && !flags.follow) return {file, lines};
    const print = this.jsonEnabled() ? (line: string) => this.out.ndjson({file, line}) : (line: string) => this.out.line(line);
    for (const l of lines) print(l);
    if (flags.follow) await followLogs(file, print, this.signal);
  }
}
