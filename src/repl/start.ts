import type {Config} from '@oclif/core';
import {Output} from '../cli/output.js';
import {toDialError} from '../cli/parse-errors.js';
import {homePaths} from '../config/index.js';
import {ExitCode} from '../errors/index.js';
import type {Registry} from '../registry/index.js';
import {CommandCatalog} from './catalog.js';
import {complete} from './completion.js';
import type {ReplContext, ReplIO} from './context.js';
import {printError} from './dispatch.js';
import {execute} from './executor.js';
import {History} from './history.js';
import {interactiveLoop, TerminalIO} from './interactive.js';
import {LineEditor} from './line-editor.js';
import {SchemaCache} from './schema-cache.js';
import {runScript, ScriptIO, ScriptLines} from './script.js';
import {ServiceNames} from './service-names.js';
import {Session} from './session.js';
import {shellQuote} from './tokenize.js';

export interface ReplOptions {
  config: Config;
  home: string;
  /** --registry / DIAL_REGISTRY, when not the local cluster. */
  registryUrl?: string;
  token?: string;
  /** Scripted mode: go on after a failing line. */
  keepGoing?: boolean;
  /** Start with `use TARGET`. */
  target?: string;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
}

/**
 * `dial repl`: on a terminal, the interactive REPL; with stdin from a pipe or
 * a file, scripted mode (one command per line, no prompts, no colors).
 * Returns the exit code for the process. While it runs, Ctrl-C belongs to the
 * REPL (it cancels the current command or request), and nothing a command
 * throws or rejects later ends the process.
 */
export async function startRepl(opts: ReplOptions): Promise<number> {
  const stdin = opts.stdin ?? process.stdin;
  const stderr = opts.stderr ?? process.stderr;
  const interactive = Boolean(stdin.isTTY && stderr.isTTY);
  if (!interactive) process.env.NO_COLOR ??= '1';
  const out = new Output({noColor: !interactive});
  const openRegistry = async (): Promise<Registry> => {
    const {openRegistry: open} = await import('../registry/open.js');
    return open({url: opts.registryUrl, token: opts.token, home: opts.home});
  };
  const schemas = new SchemaCache(openRegistry);
  const history = new History(interactive ? homePaths(opts.home).historyFile : undefined);
  const partial = {
    config: opts.config,
    catalog: new CommandCatalog(opts.config),
    session: new Session(opts.home, opts.registryUrl),
    schemas,
    names: new ServiceNames(openRegistry, () => schemas.invalidate()),
    history,
    out,
    openRegistry,
    step: new AbortController(),
  };
  let editor: LineEditor | undefined;
  let io: ReplIO;
  let lines: ScriptLines | undefined;
  if (interactive) {
    editor = new LineEditor({input: stdin, output: stderr, history, complete: (text) => complete(ctx, text)});
    io = new TerminalIO(editor, out, stdin, stderr);
  } else {
    lines = new ScriptLines(stdin);
    io = new ScriptIO(lines);
  }
  const ctx: ReplContext = {...partial, io};

  const onInterrupt = () => ctx.step.abort();
  const exit = process.exit.bind(process);
  const onTerminate = () => {
    editor?.close();
    exit(ExitCode.Interrupted);
  };
  const onStray = (err: unknown) => {
    printError(out, toDialError(err));
    ctx.session.lastCode = ExitCode.Failed;
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onTerminate);
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);
  try {
    if (interactive) ctx.names.start();
    if (opts.target) {
      const r = await execute(ctx, shellQuote(['use', opts.target]));
      if (r && r.code !== 0 && !interactive) return r.code;
      if (r) ctx.session.lastCode = r.code;
    }
    return editor ? await interactiveLoop(ctx, editor) : await runScript(ctx, lines!, Boolean(opts.keepGoing));
  } finally {
    editor?.close();
    ctx.names.stop();
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onTerminate);
    process.off('uncaughtException', onStray);
    process.off('unhandledRejection', onStray);
  }
}
