import {spawnSync} from 'node:child_process';
import type {TourStep} from '../types.js';

export const kafkaStep: TourStep = {
  id: 'kafka',
  title: 'Kafka clients: the broker speaks Kafka\'s wire protocol too',
  async run(ctx) {
    const status = await ctx.json<{kafka?: {bootstrap: string}}>(['cluster', 'status']);
    const bootstrap = status.kafka?.bootstrap ?? '';
    ctx.say(`The same broker listens with Kafka's protocol on ${bootstrap} (in 'cluster status' and cluster.json), over the
same durable log: what 'dial pub' writes, any Kafka client reads, and the other way round.`);
    await ctx.show(['pub', 'payments', '-d', '{"id":1,"amount":42}', '--key', 'acct-1', '-H', 'source: tour']);
    if (spawnSync('kcat', ['-V']).status !== 0) {
      ctx.say('kcat is not installed here (apt-get install -y kcat), so dial\'s own consumer reads it instead (over the HTTP API):');
      await ctx.show(['sub', 'payments', '--from-beginning', '-v']);
      return;
    }
    ctx.say('kcat (librdkafka, the Kafka C client) reads it through the Kafka listener, key and headers included:');
    await ctx.showTool('kcat', ['-b', bootstrap, '-C', '-t', 'payments', '-e', '-q', '-o', 'beginning', '-f', 'partition %p offset %o key %k headers %h: %s\\n']);
    ctx.say('and what kcat produces, dial sub reads:');
    await ctx.showTool('kcat', ['-b', bootstrap, '-P', '-t', 'payments', '-k', 'acct-2'], {input: '{"id":2,"amount":7}\n'});
    await ctx.show(['sub', 'payments', '--from-beginning', '-v']);
  },
};
