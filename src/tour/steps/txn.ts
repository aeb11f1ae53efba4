import type {TourStep} from '../types.js';

export const txnStep: TourStep = {
  id: 'txn',
  title: 'Distributed transactions: why 2PC blocks and 3PC does not',
  async run(ctx) {
    ctx.say(`dial runs a coordinator and three participants (accounts a, b, c) as separate processes, each with
its own fsynced log. In this scenario the coordinator decides COMMIT, forces it to its log, and is
SIGKILLed before it tells anyone. Under two-phase commit the participants have promised to obey and
cannot decide alone: they block, holding their locks, until the coordinator recovers:`);
    await ctx.show(['txn', 'scenario', '2pc-blocking']);
    ctx.say(`The same crash under three-phase commit. The extra PRECOMMIT round means no participant can be
uncertain while another has committed, so the participants elect a new coordinator and finish
without the dead one:`);
    await ctx.show(['txn', 'scenario', '3pc-nonblocking']);
    ctx.say(`3PC pays for this with an extra round and a flaw: under a network partition each side terminates on
its own (try 'dial txn scenario 3pc-partition'). 'dial txn run --help' lists every crash point.`);
  },
};
