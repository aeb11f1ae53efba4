import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';

export default class Repl extends DialCommand {
  static override summary = 'Interactive shell: every dial command, with completion, guided requests and history';
  static override description = `Runs dial commands without typing 'dial' (services, discover greeter, call ...), plus REPL commands: use SERVICE|HOST:PORT sets the target (shown in the prompt with its gRPC service), show services|methods|messages, desc SYMBOL, header NAME=VALUE (metadata for every call), history, help, exit. Tab completes commands, flags, services from the registry, methods from reflection and @files. 'call METHOD' without -d asks for the request field by field. History is kept in DIAL_HOME/repl_history; Ctrl-R searches it.

With stdin from a pipe or a file, runs one command per line with no prompts and no colors, and exits with the first failing command's exit code (--keep-going runs every line).`;
  static override examples = [
    {description: 'Start the REPL on the demo greeter', command: '<%= config.bin %> repl greeter'},
    {description: 'Run a script of dial commands', command: `printf 'services\\nuse greeter\\ncall SayHello -d {}\\n' | <%= config.bin %> repl`},
  ];
  static override enableJsonFlag = false;
  static override args = {
    target: Args.string({description: 'Start with this target, as `use TARGET`', ignoreStdin: true}),
  };
  static override flags = {
    ...registryFlags,
    'keep-going': Flags.boolean({description: 'Scripted mode: run every line even after one fails (the exit code is still the first failure\'s)'}),
  };

  override async init(): Promise<void> {
    // The REPL handles Ctrl-C itself (it cancels the running command, not the REPL): drop the base command's handlers.
    const before = {SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM')};
    await super.init();
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      for (const l of process.listeners(sig)) if (!before[sig].includes(l)) process.off(sig, l);
    }
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Repl);
    // Commands run inside the REPL see the same registry as the REPL.
    if (flags.registry) process.env.DIAL_REGISTRY = flags.registry;
    if (flags.token) process.env.DIAL_TOKEN = flags.token;
    const {startRepl} = await import('../src/repl/index.js');
    process.exitCode = await startRepl({
      config: this.config, home: this.home, registryUrl: flags.registry, token: flags.token,
      keepGoing: flags['keep-going'], target: args.target,
    });
  }
}
