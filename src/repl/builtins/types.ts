import {toDialError} from '../../cli/parse-errors.js';
import {ExitCode} from '../../errors/index.js';
import type {LineResult, ReplContext} from '../context.js';
import {printError} from '../dispatch.js';

/** A command that exists only inside the REPL (use, show, desc, header, history, help, exit). */
export interface Builtin {
  name: string;
  aliases?: string[];
  /** e.g. `use SERVICE|HOST:PORT [GRPC_SERVICE]` */
  usage: string;
  summary: string;
  run(ctx: ReplContext, args: string[]): Promise<LineResult>;
  /** Candidates for the word being typed, given the finished arguments before it. */
  complete?(ctx: ReplContext, args: string[]): Promise<string[]>;
}

export const ok: LineResult = {code: 0};

/** Prints an error as dial commands do and returns the exit code the CLI would use (130 after Ctrl-C). */
export function failWith(ctx: ReplContext, err: unknown): LineResult {
  const e = toDialError(err);
  printError(ctx.out, e);
  return {code: ctx.step.signal.aborted ? ExitCode.Interrupted : e.exitCode};
}
