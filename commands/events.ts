import {Flags} from '@oclif/core';
import {DialCommand} from '../src/cli/index.js';
import type {ClusterEvent} from '../src/broker/cli.js';
import {CLUSTER_EVENT_TYPES} from '../src/broker/cluster-events.js';

export default class Events extends DialCommand {
  static override summary = 'Stream the cluster\'s own events: registrations, health changes, instances, transactions';
  static override description = `The daemon publishes its event bus to the broker topic dial.events (one partition, durable): registrations and deregistrations, health-check status changes, instance starts and exits, reaped services, transaction outcomes. dial events follows it from now (--from-beginning: the whole history) until Ctrl-C; --json prints one event per line. Any consumer can read it the same way: dial sub dial.events --group G.`;
  static override examples = [
    {description: 'Watch what happens in the cluster', command: '<%= config.bin %> events'},
    {description: 'Health changes only, the history included, as NDJSON', command: '<%= config.bin %> events --type health --from-beginning --json -n 5'},
  ];
  static override flags = {
    type: Flags.string({char: 't', description: 'Only events of this type (repeatable)', multiple: true, options: [...CLUSTER_EVENT_TYPES]}),
    'from-beginning': Flags.boolean({description: 'Start with the stored history'}),
    'max-events': Flags.integer({char: 'n', description: 'Stop after this many events', min: 1}),
    'no-follow': Flags.boolean({description: 'Stop once caught up instead of waiting for new events'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Events);
    const {consume, describeEvent, openBrokerClient, EVENTS_TOPIC} = await import('../src/broker/cli.js');
    const client = openBrokerClient(this.home);
    this.onFinally(() => client.close());
    const types = flags.type ? new Set(flags.type) : undefined;
    const max = flags['max-events'] ?? Infinity;
    let shown = 0;
    const stop = new AbortController();
    this.signal.addEventListener('abort', () => stop.abort(), {once: true});
    await consume(client, {
      topic: EVENTS_TOPIC, fromBeginning: flags['from-beginning'], follow: !flags['no-follow'], signal: stop.signal,
      onMessage: (m) => {
        if (shown >= max) return;
        let e: ClusterEvent;
        try {
          e = JSON.parse(m.value) as ClusterEvent;
        } catch {
          return;
        }
        if (types && !types.has(e.type)) return;
        if (this.jsonEnabled()) this.out.ndjson(e);
        else this.out.line(`${e.at}  ${e.type.padEnd(14)} ${describeEvent(e)}`);
        if (++shown >= max) stop.abort();
      },
    });
  }
}
