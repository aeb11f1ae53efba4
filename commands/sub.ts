import {Args, Flags} from '@oclif/core';
import {DialCommand} from '../src/cli/index.js';
import type {BrokerMessage} from '../src/broker/cli.js';
import {parseDurationFlag} from '../src/util/index.js';

export default class Sub extends DialCommand {
  static override summary = 'Read messages from a topic, alone or as a member of a consumer group';
  static override description = `Prints each message's value (with -v: partition, offset and key too; with --json: one JSON record per line). Alone, dial reads every partition from the end (or --from-beginning). With --group, the members of the group share the topic's partitions, start at the group's committed offsets and commit after each printed batch, so a restarted consumer continues where the group stopped and nothing is skipped (at-least-once: a consumer that dies before committing leaves its messages to be delivered again). When a member leaves (Ctrl-C) or its session times out, its partitions go to the others. Without --follow, dial stops when it has caught up.`;
  static override examples = [
    {description: 'Everything in a topic so far', command: '<%= config.bin %> sub orders --from-beginning'},
    {description: 'A consumer group member that keeps reading (run it twice to share the partitions)', command: '<%= config.bin %> sub orders --group billing --from-beginning --follow'},
    {description: 'Take the next 10 messages for the group and stop', command: '<%= config.bin %> sub orders --group billing -n 10'},
  ];
  static override args = {
    topic: Args.string({description: 'Topic name', required: true}),
  };
  static override flags = {
    group: Flags.string({char: 'g', description: 'Consumer group: share partitions, resume from committed offsets'}),
    'from-beginning': Flags.boolean({description: 'Start at the oldest message (a group: only where it has no committed offset)'}),
    follow: Flags.boolean({char: 'f', description: 'Keep waiting for new messages until Ctrl-C'}),
    'max-messages': Flags.integer({char: 'n', description: 'Stop after this many messages', min: 1}),
    'no-commit': Flags.boolean({description: 'Group: read without committing (the group will deliver these messages again)'}),
    'session-timeout': Flags.string({description: 'Group: a member silent this long is dropped and its partitions reassigned', default: '10s'}),
    verbose: Flags.boolean({char: 'v', description: 'Print partition, offset and key before each value; group changes on stderr'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Sub);
    const {checkName, consume, openBrokerClient} = await import('../src/broker/cli.js');
    const topic = checkName('topic', args.topic);
    const group = flags.group === undefined ? undefined : checkName('group', flags.group);
    const sessionTimeoutMs = parseDurationFlag('session-timeout', flags['session-timeout']);
    const client = openBrokerClient(this.home);
    this.onFinally(() => client.close());
    const print = this.jsonEnabled()
      ? (m: BrokerMessage) => this.out.ndjson(m)
      : flags.verbose
        ? (m: BrokerMessage) => this.out.line(`${m.partition}:${m.offset}\t${m.key ?? '-'}\t${m.value}`)
        : (m: BrokerMessage) => this.out.line(m.value);
    const n = await consume(client, {
      topic, group, fromBeginning: flags['from-beginning'], follow: flags.follow, maxMessages: flags['max-messages'],
      noCommit: flags['no-commit'], sessionTimeoutMs, signal: this.signal, onMessage: print,
      onEvent: (e) => {
        if (e.type === 'assigned') this.out.note(`${group}: member ${e.member}, generation ${e.generation}, partitions [${e.partitions.join(', ')}]`);
        else if (e.type === 'rejected') this.out.note(`${group}: partitions [${e.partitions.join(', ')}] were reassigned before this member committed them (another member will deliver them again)`);
        else if (e.type === 'rejoin') this.out.note(`${group}: ${e.reason}; joining again`);
      },
    });
    if (n === 0 && !flags.follow && !this.jsonEnabled()) {
      this.out.note(flags['from-beginning'] || group ? `no messages in ${topic}` : `no new messages in ${topic} (--from-beginning reads what is there, --follow waits)`);
    }
  }
}
