import {ExitCode, usageError} from '../errors/index.js';
import {didYouMean} from '../util/index.js';
import {BUILTINS, findBuiltin} from './builtins/index.js';
import {failWith} from './builtins/types.js';
import type {LineResult, ReplContext} from './context.js';
import {runCommand, showHelp} from './dispatch.js';
import {RequestCancelled} from './guided/index.js';
import {prepareArgv} from './prepare.js';
import {splitCommandLine} from './tokenize.js';

/**
 * Runs one command line of the REPL: a REPL command (use, show, ...) or any
 * dial command without the leading `dial` (a leading `dial` is accepted too,
 * and reaches a dial command even where a REPL command has the same name).
 * Returns undefined for a blank line or a comment, else the exit code the CLI
 * would have used. Never throws: every failure is printed and becomes a code.
 */
export async function execute(ctx: ReplContext, text: string): Promise<LineResult | undefined> {
  ctx.step = new AbortController();
  try {
    let words = splitCommandLine(text);
    const forced = words[0] === 'dial';
    if (forced) words = words.slice(1);
    if (words.length === 0) {
      if (!forced) return undefined;
      await showHelp(ctx.config, []);
      return {code: 0};
    }
    const builtin = forced ? undefined : findBuiltin(words[0]);
    if (builtin) return await builtin.run(ctx, words.slice(1));
    const found = ctx.catalog.find(words);
    if (!found) {
      if (ctx.catalog.isTopic(words)) {
        await showHelp(ctx.config, words);
        return {code: 0};
      }
      const names = [...BUILTINS.map((b) => b.name), ...ctx.catalog.commands.map((c) => c.words.join(' '))];
      throw usageError(`unknown command '${words[0]}'${didYouMean(words[0], names)}`, "'help' lists the commands");
    }
    if (found.command.id === 'repl') throw usageError('this is the REPL already', "'help' lists what runs here");
    ctx.io.suspend();
    const {argv, liveInput} = await prepareArgv(ctx, found.command, words.slice(found.used));
    if (ctx.step.signal.aborted) throw new RequestCancelled();
    ctx.io.suspend();
    const run = () => runCommand(ctx.config, found.command, argv, ctx.out);
    return {code: liveInput && ctx.io.streamInput ? await ctx.io.streamInput(liveInput, run) : await run()};
  } catch (err) {
    if (err instanceof RequestCancelled || ctx.step.signal.aborted) {
      ctx.out.note(ctx.out.errColor.yellow('request cancelled'));
      return {code: ExitCode.Interrupted};
    }
    return failWith(ctx, err);
  }
}
