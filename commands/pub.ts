import {commandStdin} from '../src/cli/stdin.js';
import {Args, Flags} from '@oclif/core';
import {DialCommand} from '../src/cli/index.js';
import {parseHeaderFlags} from '../src/cli/headers.js';

interface PubResult {
  topic: string;
  results: {partition: number; offset: number}[];
}

export default class Pub extends DialCommand {
  static override summary = 'Publish messages to a topic of the cluster\'s message broker';
  static override description = `Appends messages to TOPIC (created with --partitions on first use). Messages with the same --key go to the same partition, so they stay in order; without a key they are spread round-robin. dial prints the partition and offset once the broker has the message on disk (acknowledged = durable). -d @FILE or -d @- publishes one message per line.`;
  static override examples = [
    {description: 'One message with a key', command: `<%= config.bin %> pub orders -d '{"id":1,"item":"tea"}' --key customer-7`},
    {description: 'One message per line of stdin', command: `printf 'a\\nb\\nc\\n' | <%= config.bin %> pub letters -d @-`},
    {description: 'A new topic with 6 partitions', command: `<%= config.bin %> pub clicks -d hello --partitions 6`},
  ];
  static override args = {
    topic: Args.string({description: 'Topic name (A-Z a-z 0-9 . _ -)', required: true}),
  };
  static override flags = {
    data: Flags.string({char: 'd', description: 'The message, or @FILE / @- for one message per line'}),
    key: Flags.string({char: 'k', description: 'Message key: picks the partition (same key, same partition, in order)'}),
    header: Flags.string({char: 'H', description: "Message header 'name: value' (repeatable)", multiple: true}),
    partitions: Flags.integer({description: 'Partitions when the topic is created by this publish', min: 1, max: 64}),
  };

  async run(): Promise<PubResult> {
    const {args, flags} = await this.parse(Pub);
    const {checkName, readPublishData, openBrokerClient} = await import('../src/broker/cli.js');
    const topic = checkName('topic', args.topic);
    const headers = flags.header ? Object.fromEntries(parseHeaderFlags(flags.header)) : undefined;
    const values = await readPublishData(flags.data, commandStdin());
    const client = openBrokerClient(this.home);
    this.onFinally(() => client.close());
    const results: PubResult['results'] = [];
    for (let i = 0; i < values.length; i += 1000) {
      const batch = values.slice(i, i + 1000).map((value) => ({value, key: flags.key ?? null, ...(headers ? {headers} : {})}));
      results.push(...(await client.publish(topic, batch, flags.partitions)).results);
    }
    if (results.length === 1) this.log(`${topic} partition ${results[0].partition} offset ${results[0].offset}`);
    else this.log(`published ${results.length} messages to ${topic}`);
    return {topic, results};
  }
}
