import type {TourStep} from '../types.js';

export const finishStep: TourStep = {
  id: 'finish',
  title: 'Stop the cluster',
  async run(ctx) {
    ctx.say('`cluster down` stops the daemon and every process it started:');
    await ctx.show(['cluster', 'down']);
    ctx.say(`That was the tour. To keep going on your own:
  dial cluster up                      start a cluster in your DIAL_HOME (port 7500)
  dial repl greeter                    an interactive shell on the greeter: every dial command without
                                       'dial', Tab completion, and 'call SayHello' asks for the request
                                       field by field ('help' lists the rest, Ctrl-D leaves)
  dial call greeter SayHello -d '{"name":"you"}'
  dial --help                          every command, each with examples`);
  },
};
