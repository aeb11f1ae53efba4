import {loadHelpClass, type Config} from '@oclif/core';
import {toDialError} from '../cli/parse-errors.js';
import type {Output} from '../cli/output.js';
import {DialError} from '../errors/index.js';
import type {CommandInfo} from './catalog.js';

/** Thrown in place of process.exit() while a command runs inside the REPL. */
class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

/** True when the words ask for help (--help before any `--`), as oclif's main does. */
export function wantsHelp(argv: string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help') return true;
  }
  return false;
}

/** Prints oclif's help for a command or topic (the words), or the root help for []. */
export async function showHelp(config: Config, words: string[]): Promise<void> {
  const Help = await loadHelpClass(config);
  await new Help(config, config.pjson.oclif.helpOptions ?? config.pjson.helpOptions).showHelp(words);
}

/**
 * Runs one dial command in this process, through oclif as `bin/run.js` would
 * (the command's own parser, hooks, --help, --json), and returns the exit
 * code the CLI would have exited with. Nothing leaves: commands report
 * failures through process.exitCode (read and reset here), errors that escape
 * a command are printed as the CLI prints them, and a process.exit() inside a
 * command ends that command, not the REPL.
 */
export async function runCommand(config: Config, command: CommandInfo, argv: string[], out: Output): Promise<number> {
  const realExit = process.exit;
  process.exitCode = undefined;
  process.exit = ((code?: number | string | null) => {
    throw new ExitCalled(Number(code ?? process.exitCode ?? 0));
  }) as typeof process.exit;
  try {
    if (wantsHelp(argv)) await showHelp(config, command.words);
    else await config.runCommand(command.id, argv);
    return Number(process.exitCode ?? 0);
  } catch (err) {
    return exitCodeOf(err, out);
  } finally {
    process.exit = realExit;
    process.exitCode = undefined;
  }
}

/** The exit code for something a command threw; prints it unless it is a plain exit. */
export function exitCodeOf(err: unknown, out: Output): number {
  if (err instanceof ExitCalled) return err.code;
  const e = err as {code?: string; oclif?: {exit?: number}};
  if (e?.code === 'EEXIT' && typeof e.oclif?.exit === 'number') return e.oclif.exit;
  const de = toDialError(err);
  printError(out, de);
  return de.exitCode;
}

/** Prints an error the way dial commands do: `error:` and the message, then `hint:`. */
export function printError(out: Output, e: DialError): void {
  out.note(`${out.errColor.red('error:')} ${e.message}`);
  if (e.hint) out.note(`${out.errColor.dim('hint:')}  ${e.hint}`);
}
