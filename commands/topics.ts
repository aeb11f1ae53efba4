import {Args, Flags} from '@oclif/core';
import {DialCommand} from '../src/cli/index.js';
import {brokerFlags} from '../src/broker/clients/flags.js';
import type {TopicsResult} from '../src/broker/clients/types.js';

export default class Topics extends DialCommand {
  static override summary = 'List the topics, queues or streams of a broker, with their sizes where the broker tells';
  static override description = `The local cluster (default) and Kafka: topics with partitions and their start/end offsets. RabbitMQ: the queues of the vhost from the management API (--management, default port 15672 of the broker's host), or the queues you name, with the ready messages and consumers of each. NATS: JetStream streams (core NATS keeps no list of subjects). MQTT: brokers keep no list of topics; dial lists those holding a retained message.`;
  static override strict = false;
  static override examples = [
    {description: 'The local cluster\'s topics', command: '<%= config.bin %> topics'},
    {description: 'Kafka topics with their offsets', command: '<%= config.bin %> topics --broker kafka://127.0.0.1:9092 --json'},
    {description: 'NATS JetStream streams', command: '<%= config.bin %> topics --broker nats://127.0.0.1:4222'},
    {description: 'RabbitMQ: every queue of the vhost (through the management plugin)', command: '<%= config.bin %> topics --broker amqp://guest:guest@127.0.0.1:5672/'},
    {description: 'RabbitMQ queues by name', command: '<%= config.bin %> topics --broker amqp://guest:guest@127.0.0.1:5672/ jobs jobs.dead'},
  ];
  static override args = {
    names: Args.string({description: 'AMQP: the queues to look up'}),
  };
  static override flags = {
    ...brokerFlags,
    management: Flags.string({description: 'AMQP: RabbitMQ\'s management API, which lists the queues (default http://BROKER-HOST:15672, https and 15671 for amqps)', helpGroup: 'AMQP'}),
  };

  async run(): Promise<TopicsResult> {
    const {argv, flags} = await this.parse(Topics);
    const {openMessaging} = await import('../src/broker/cli.js');
    const client = await openMessaging(this.home, flags);
    this.onFinally(() => client.close());
    const r = await client.topics(argv as string[]);
    for (const t of r.topics) {
      const size = t.partitions ? `${t.partitions.length} partition(s), ${t.messages} message(s)  ${t.partitions.map((p) => `${p.partition}:${p.start}-${p.end}`).join(' ')}`
        : [t.messages === undefined ? '' : `${t.messages} message(s)`, t.bytes === undefined ? '' : `${t.bytes} bytes`, t.consumers === undefined ? '' : `${t.consumers} consumer(s)`, t.subjects ? `subjects ${t.subjects.join(',')}` : ''].filter(Boolean).join(', ');
      this.log(`${t.name}\t${t.kind}\t${size}`);
    }
    if (r.note && !this.jsonEnabled()) this.out.note(r.note);
    return r;
  }
}
