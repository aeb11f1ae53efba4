import type {TourStep} from '../types.js';

export const messagingStep: TourStep = {
  id: 'messaging',
  title: 'Messaging: a durable broker with topics, partitions and consumer groups',
  async run(ctx) {
    ctx.say('The daemon hosts a small broker (Kafka\'s model; its wire protocol comes in the next step). A publish is acknowledged with\nits partition and offset once it is on disk; one key always lands in one partition:');
    await ctx.show(['pub', 'orders', '-d', '{"id":1,"item":"tea"}', '--key', 'customer-7']);
    await ctx.show(['pub', 'orders', '-d', '@-', '--key', 'customer-7'], {input: '{"id":2,"item":"cake"}\n{"id":3,"item":"jam"}\n'});
    ctx.say('A consumer group commits what it has read, so the next member continues there (at-least-once):');
    await ctx.show(['sub', 'orders', '--group', 'billing', '--from-beginning', '-n', '2', '-v']);
    await ctx.show(['sub', 'orders', '--group', 'billing', '-v']);
    ctx.say('The cluster\'s own events (registrations, health changes, instances) go to the topic dial.events:');
    await ctx.show(['events', '--from-beginning', '--no-follow', '--type', 'registration', '-n', '3']);
  },
};
