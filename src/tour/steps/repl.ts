import type {TourStep} from '../types.js';

export const replStep: TourStep = {
  id: 'repl',
  title: 'The interactive shell: dial repl',
  async run(ctx) {
    ctx.say(`\`dial repl\` runs every dial command without the leading 'dial', plus shell-only ones: 'use TARGET' sets the
target (the prompt shows it), 'show methods', 'desc SYMBOL', 'header k=v' for session metadata. On a terminal
Tab completes commands, flags, service names and methods, and 'call SayHello' without -d asks field by field.
Fed on stdin it runs a script, line by line, and stops at the first failing line with that line's exit code:`);
    await ctx.show(['repl'], {
      input: ['services', 'use greeter', 'show methods', 'header x-team=tour', `call SayHello -d '{"name":"repl"}'`, 'desc HelloRequest'].join('\n') + '\n',
    });
    ctx.say('One process serves every line, so a script of many calls is much faster than as many `dial` runs.');
  },
};
