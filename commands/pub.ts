import {commandStdin} from '../src/cli/stdin.js';
import {Args, Flags} from '@oclif/core';
import {DialCommand} from '../src/cli/index.js';
import {parseHeaderFlags} from '../src/cli/headers.js';
import {amqpFlags, brokerFlags, qosFlag, valueFlags} from '../src/broker/clients/flags.js';
import type {PublishResult} from '../src/broker/clients/types.js';

interface PubResult {
  topic: string;
  results: PublishResult[];
}

export default class Pub extends DialCommand {
  static override summary = 'Publish messages to a topic of the local cluster\'s broker, Kafka, RabbitMQ, MQTT or NATS';
  static override description = `Sends messages to TOPIC (a topic; with --broker amqp:// a queue, or a routing key with --exchange; an MQTT topic; a NATS subject). On the local cluster and Kafka, messages with the same --key go to the same partition, and dial prints the partition and offset once the broker has acknowledged them. -d @FILE or -d @- publishes one message per line. --codec encodes each JSON value (e.g. protobuf with --schema and --type).`;
  static override examples = [
    {description: 'One message with a key', command: `<%= config.bin %> pub orders -d '{"id":1,"item":"tea"}' --key customer-7`},
    {description: 'One message per line of stdin', command: `printf 'a\\nb\\nc\\n' | <%= config.bin %> pub letters -d @-`},
    {description: 'A new topic with 6 partitions', command: `<%= config.bin %> pub clicks -d hello --partitions 6`},
    {description: 'Kafka: a keyed message with a header', command: `<%= config.bin %> pub orders --broker kafka://127.0.0.1:9092 -d '{"id":1}' --key customer-7 -H 'source: dial'`},
    {description: 'RabbitMQ: through a topic exchange', command: `<%= config.bin %> pub orders.eu --broker amqp://guest:guest@127.0.0.1:5672/ --exchange events --exchange-type topic -d '{"id":1}'`},
    {description: 'MQTT: a retained message, QoS 1', command: `<%= config.bin %> pub sensors/kitchen/temp --broker mqtt://127.0.0.1:1883 --qos 1 --retain -d 21.5`},
    {description: 'NATS, protobuf-encoded', command: `<%= config.bin %> pub greet.ada --broker nats://127.0.0.1:4222 --codec protobuf --schema proto/helloworld/helloworld.proto --type HelloRequest -d '{"name":"ada"}'`},
  ];
  static override args = {
    topic: Args.string({description: 'Topic, queue / routing key (AMQP), MQTT topic or NATS subject', required: true}),
  };
  static override flags = {
    ...brokerFlags,
    ...valueFlags,
    ...amqpFlags,
    data: Flags.string({char: 'd', description: 'The message, or @FILE / @- for one message per line'}),
    key: Flags.string({char: 'k', description: 'Message key (local cluster, Kafka): picks the partition (same key, same partition, in order)'}),
    header: Flags.string({char: 'H', description: "Message header 'name: value' (repeatable; MQTT: user property)", multiple: true}),
    partitions: Flags.integer({description: 'Partitions when the topic is created by this publish', min: 1, max: 64}),
    partition: Flags.integer({description: 'Kafka: publish to this partition', min: 0}),
    qos: qosFlag,
    retain: Flags.boolean({description: 'MQTT: the broker keeps this message for new subscribers', helpGroup: 'MQTT'}),
  };

  async run(): Promise<PubResult> {
    const {args, flags} = await this.parse(Pub);
    const [{readPublishData, openMessaging}, {valueCodec}] = await Promise.all([import('../src/broker/cli.js'), import('../src/broker/clients/index.js')]);
    const codec = await valueCodec(flags);
    const headers = flags.header ? Object.fromEntries(parseHeaderFlags(flags.header)) : undefined;
    const values = (await readPublishData(flags.data, commandStdin())).map((v) => codec.encode(v));
    const client = await openMessaging(this.home, flags);
    this.onFinally(() => client.close());
    const results = await client.publish(
      {topic: args.topic, partitions: flags.partitions, partition: flags.partition, exchange: flags.exchange, exchangeType: flags['exchange-type'] as 'topic' | undefined,
        deadLetterExchange: flags['dead-letter-exchange'], qos: flags.qos as 0 | 1 | 2 | undefined, retain: flags.retain},
      values.map((value) => ({value, key: flags.key ?? null, ...(headers ? {headers} : {})})),
    );
    const r = results[0];
    if (results.length === 1) this.log(`${r.topic}${r.exchange ? ` (exchange ${r.exchange})` : ''}${r.partition === undefined ? ' published' : ` partition ${r.partition} offset ${r.offset}`}`);
    else this.log(`published ${results.length} messages to ${args.topic}`);
    return {topic: args.topic, results};
  }
}
