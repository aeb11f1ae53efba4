import {Args, Flags} from '@oclif/core';
import {DialCommand} from '../src/cli/index.js';
import {amqpFlags, brokerFlags, mqttSessionFlags, qosFlag, valueFlags} from '../src/broker/clients/flags.js';
import {runSub} from '../src/cli/run/sub.js';

export default class Sub extends DialCommand {
  static override summary = 'Read messages from the local cluster\'s broker, Kafka, RabbitMQ, MQTT or NATS';
  static override description = `Prints each message's value (with -v: partition, offset and key too; with --json: one record per line: topic, partition, offset, key, headers, value, timestamp, where the broker has them). Local cluster and Kafka: alone, every partition from the end (or --from-beginning); with --group, the group's partitions from its committed offsets, committing after each printed batch (at-least-once). RabbitMQ: TOPIC is a queue (or a binding key with --exchange; --group names the shared queue), each message is acked after it is printed (--no-ack: on delivery; --reject: dead-lettered). MQTT: a topic filter (+, #), --qos, --group as a $share group, --client-id for a persistent session. NATS: a subject (*, >), --group as a queue group, -n N waits for N messages (core NATS keeps none to catch up with). Without --follow, dial stops once caught up (brokers without positions: after --idle of silence).`;
  static override examples = [
    {description: 'Everything in a topic so far', command: '<%= config.bin %> sub orders --from-beginning'},
    {description: 'A consumer group member that keeps reading (run it twice to share the partitions)', command: '<%= config.bin %> sub orders --group billing --from-beginning --follow'},
    {description: 'RabbitMQ: the next 10 messages of a queue, acked as printed', command: '<%= config.bin %> sub jobs --broker amqp://guest:guest@127.0.0.1:5672/ -n 10'},
    {description: 'MQTT: every kitchen sensor, QoS 1', command: "<%= config.bin %> sub 'sensors/kitchen/#' --broker mqtt://127.0.0.1:1883 --qos 1 --follow"},
    {description: 'Kafka: a consumer group reading 10 messages, offsets in --json', command: '<%= config.bin %> sub orders --broker kafka://127.0.0.1:9092 --group billing --from-beginning -n 10 --json'},
    {description: 'MQTT: a persistent session: what arrives at QoS 1 while it is away waits for the next run with this id', command: "<%= config.bin %> sub 'alerts/#' --broker mqtt://127.0.0.1:1883 --qos 1 --client-id alert-reader"},
    {description: 'NATS: a queue group member', command: "<%= config.bin %> sub 'orders.>' --broker nats://127.0.0.1:4222 --group billing --follow"},
  ];
  static override args = {
    topic: Args.string({description: 'Topic, queue or binding key (AMQP), MQTT topic filter, NATS subject', required: true}),
  };
  static override flags = {
    ...brokerFlags,
    ...valueFlags,
    ...amqpFlags,
    group: Flags.string({char: 'g', description: 'Consumer group (Kafka, local), shared queue (AMQP --exchange), $share group (MQTT), queue group (NATS)'}),
    'from-beginning': Flags.boolean({description: 'Start at the oldest message (a group: only where it has no committed offset)'}),
    follow: Flags.boolean({char: 'f', description: 'Keep waiting for new messages until Ctrl-C'}),
    'max-messages': Flags.integer({char: 'n', description: 'Stop after this many messages', min: 1}),
    'no-commit': Flags.boolean({description: 'Group: read without committing (the group will deliver these messages again)'}),
    'session-timeout': Flags.string({description: 'Group: a member silent this long is dropped and its partitions reassigned', default: '10s'}),
    partition: Flags.integer({description: 'Kafka: read only this partition', min: 0}),
    offset: Flags.integer({description: 'Kafka: start at this offset of --partition', min: 0, dependsOn: ['partition']}),
    'no-ack': Flags.boolean({description: 'AMQP: the broker counts a message delivered when it sends it (at-most-once)', helpGroup: 'AMQP', exclusive: ['reject']}),
    reject: Flags.boolean({description: 'AMQP: print, then reject without requeue (to the queue\'s dead-letter exchange)', helpGroup: 'AMQP'}),
    prefetch: Flags.integer({description: 'AMQP: unacknowledged messages in flight (default 500)', min: 1, helpGroup: 'AMQP'}),
    qos: qosFlag,
    ...mqttSessionFlags,
    idle: Flags.string({description: 'Without --follow, AMQP/MQTT/NATS stop after this much silence', default: '1s'}),
    verbose: Flags.boolean({char: 'v', description: 'Print partition, offset and key before each value; group changes on stderr'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Sub);
    await runSub(this.context, args, flags);
  }
}
