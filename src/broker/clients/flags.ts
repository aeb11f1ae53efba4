import {Flags} from '@oclif/core';

/** --broker and the TLS flags `dial call` has, shared by pub, sub and topics. */
export const brokerFlags = {
  broker: Flags.string({description: 'Broker URL: dial:// (the local cluster, default), kafka://h:9092[,h2:9092], amqp[s]://user:pass@h:5672/vhost, mqtt[s]://h:1883, nats://h:4222 or tls://h:4222', env: 'DIAL_BROKER', helpGroup: 'BROKER'}),
  cacert: Flags.string({description: 'CA certificate (PEM) to verify the broker with (implies TLS)', helpGroup: 'BROKER'}),
  cert: Flags.string({description: 'Client certificate (PEM), for brokers that want one', helpGroup: 'BROKER', dependsOn: ['cert-key']}),
  // not --key as in dial call: on pub, --key is the message key
  'cert-key': Flags.string({description: 'Private key (PEM) of --cert', helpGroup: 'BROKER', dependsOn: ['cert']}),
  servername: Flags.string({description: 'Server name for SNI and certificate checks', helpGroup: 'BROKER'}),
  insecure: Flags.boolean({description: 'TLS without verifying the broker\'s certificate', helpGroup: 'BROKER'}),
};

/** --codec/--schema/--type for message values. */
export const valueFlags = {
  codec: Flags.string({description: 'Value wire format (pub encodes JSON -d, sub decodes): protobuf, json, msgpack, thrift-binary, thrift-compact, avro, xml-rpc', options: ['protobuf', 'json', 'msgpack', 'thrift-binary', 'thrift-compact', 'avro', 'xml-rpc', 'java'], helpGroup: 'VALUE'}),
  schema: Flags.string({description: 'Schema file of --codec: .proto, .thrift, .avsc', helpGroup: 'VALUE'}),
  type: Flags.string({description: 'Message / struct / record name in --schema', helpGroup: 'VALUE'}),
};

/** AMQP exchange flags of pub and sub. */
export const amqpFlags = {
  exchange: Flags.string({description: 'AMQP: publish to / bind to this exchange (TOPIC is then the routing or binding key)', helpGroup: 'AMQP'}),
  'exchange-type': Flags.string({description: 'AMQP: declare --exchange with this type', options: ['direct', 'topic', 'fanout', 'headers'], helpGroup: 'AMQP'}),
  'dead-letter-exchange': Flags.string({description: 'AMQP: the dead-letter exchange of a queue this command declares', helpGroup: 'AMQP'}),
};

export const qosFlag = Flags.integer({description: 'MQTT: QoS 0 (at most once), 1 (at least once), 2 (exactly once)', options: ['0', '1', '2'], min: 0, max: 2, helpGroup: 'MQTT'});

/** An MQTT persistent session (mosquitto_sub -c -i ID -x SECONDS). */
export const mqttSessionFlags = {
  'client-id': Flags.string({description: 'MQTT: connect as this client id with a persistent session: QoS 1/2 messages that match its subscriptions wait at the broker while no dial sub with this id runs', helpGroup: 'MQTT'}),
  'session-expiry': Flags.string({description: 'MQTT --client-id: how long the broker keeps the session after dial goes (default 1h; 0s: until it disconnects)', helpGroup: 'MQTT'}),
};
