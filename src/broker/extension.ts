import {join} from 'node:path';
import client from 'prom-client';
import type {DaemonContext} from '../runtime/daemon/extensions.js';
import {DialError, ExitCode} from '../errors/index.js';
import {Broker} from './broker.js';
import {bridgeEvents, watchRegistrations} from './cluster-events.js';
import {addBrokerRoutes} from './routes.js';
import {EVENTS_TOPIC, type OutgoingMessage} from './types.js';

/**
 * The message broker inside the daemon: DIAL_HOME/broker.db, the HTTP API
 * under /v1/dial/broker, the Kafka listener (config.kafkaPort), broker
 * metrics on /metrics, and the daemon's own event bus published to the
 * `dial.events` topic.
 */
export async function startBroker(ctx: DaemonContext): Promise<{stop: () => Promise<void>}> {
  const register = client.register;
  const published = new client.Counter({name: 'dial_broker_messages_published_total', help: 'Messages appended (acknowledged), by topic.', labelNames: ['topic'], registers: [register]});
  const flushes = new client.Histogram({
    name: 'dial_broker_commit_duration_seconds', help: 'Group commits of published messages (one transaction, one fsync), seconds.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [register],
  });
  const batch = new client.Histogram({
    name: 'dial_broker_commit_batch_messages', help: 'Messages per group commit.', buckets: [1, 2, 5, 10, 50, 100, 500, 1000, 5000], registers: [register],
  });
  const broker = new Broker(join(ctx.paths.home, 'broker.db'), {
    onFlush(n, ms, byTopic) {
      flushes.observe(ms / 1000);
      batch.observe(n);
      for (const [topic, count] of byTopic) published.inc({topic}, count);
    },
  });
  new client.Gauge({
    name: 'dial_broker_group_lag', help: 'Messages a consumer group has not committed yet, by group and topic.', labelNames: ['group', 'topic'], registers: [register],
    collect() {
      this.reset();
      for (const g of broker.describeGroups()) this.set({group: g.group, topic: g.topic}, g.lag);
    },
  });
  new client.Gauge({
    name: 'dial_broker_group_members', help: 'Live members of a consumer group.', labelNames: ['group', 'topic'], registers: [register],
    collect() {
      this.reset();
      for (const g of broker.describeGroups()) this.set({group: g.group, topic: g.topic}, g.members.length);
    },
  });
  broker.createTopic(EVENTS_TOPIC, 1);
  addBrokerRoutes(ctx.server.router, broker);
  const {startKafkaListener} = await import('./kafka/index.js');
  const kafkaPort = ctx.config.kafkaPort ?? 0;
  const kafka = await startKafkaListener(broker, {host: ctx.config.host, port: kafkaPort, log: ctx.log}).catch((e: NodeJS.ErrnoException) => {
    broker.close();
    if (e.code !== 'EADDRINUSE') throw e;
    throw new DialError('PORT_IN_USE', `the Kafka listener's port ${kafkaPort} on ${ctx.config.host} is already in use`, {
      hint: "pick another with 'dial cluster up --kafka-port N' (0 = any free port), or stop what listens there (a Kafka broker?)",
      exitCode: ExitCode.Failed,
    });
  });
  ctx.listeners.kafka = {host: kafka.host, port: kafka.port};
  const unwatch = watchRegistrations(ctx);
  // Bus events are written in batches at most every 100 ms: one fsync for a burst (a registration storm), not one per event.
  let queued: OutgoingMessage[] = [];
  const publishQueued = () => {
    const batch = queued;
    queued = [];
    if (batch.length) broker.publish(EVENTS_TOPIC, batch).catch((err: Error) => ctx.log(`${batch.length} events not published: ${err.message}`));
  };
  const timer = setInterval(publishQueued, 100);
  timer.unref();
  const unbridge = bridgeEvents(ctx, (e) => queued.push({key: e.type, value: JSON.stringify(e)}));
  return {
    async stop() {
      clearInterval(timer);
      unbridge();
      publishQueued();
      unwatch();
      await kafka.close();
      broker.close();
    },
  };
}
