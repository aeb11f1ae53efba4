import {PassThrough} from 'node:stream';
import type {Output} from '../cli/output.js';
import {withCommandStdin} from '../cli/stdin.js';
import {usageError} from '../errors/index.js';
import type {LineResult, ReplContext, ReplIO} from './context.js';
import {printError} from './dispatch.js';
import {execute} from './executor.js';
import {inquirerPrompter, type Prompter} from './guided/index.js';
import type {LineEditor} from './line-editor.js';

/** The REPL on a terminal: the line editor reads, inquirer asks, commands own the terminal while they run. */
export class TerminalIO implements ReplIO {
  readonly interactive = true;

  constructor(
    private readonly editor: LineEditor,
    private readonly out: Output,
    private readonly stdin: NodeJS.ReadStream,
    private readonly stderr: NodeJS.WriteStream,
  ) {}

  async streamInput(typeName: string, run: () => Promise<number>): Promise<number> {
    const {out, editor} = this;
    out.note(out.errColor.dim(`${typeName} messages as JSON, one per line, each sent on Enter; an empty line or Ctrl-D ends the input, Ctrl-C cancels the call`));
    const feed = new PassThrough();
    // Responses print above the line being typed.
    const stdout = process.stdout;
    const write = stdout.write;
    stdout.write = ((...args: Parameters<typeof write>) => {
      let done = true;
      editor.printAbove(() => {
        done = write.apply(stdout, args);
      });
      return done;
    }) as typeof write;
    let finished = false;
    const running = withCommandStdin(feed, run).finally(() => {
      finished = true;
      editor.cancelRead();
    });
    try {
      for (let n = 1; !finished;) {
        const e = await editor.read(`${n}> `);
        if (finished) break;
        if (e.type === 'interrupt') {
          process.emit('SIGINT', 'SIGINT');
          break;
        }
        if (e.type === 'eof' || e.text.trim() === '') break;
        try {
          JSON.parse(e.text);
          feed.write(`${e.text}\n`);
          n++;
        } catch (err) {
          printError(out, usageError(`that is not JSON (${(err as Error).message}); nothing was sent`, 'one JSON message per line, e.g. {"name":"ada"}'));
        }
      }
    } finally {
      feed.end();
      editor.suspend();
    }
    try {
      return await running;
    } finally {
      stdout.write = write;
    }
  }

  async prompter(): Promise<Prompter | undefined> {
    if (process.env.CI === 'true') return undefined;
    this.editor.suspend();
    return inquirerPrompter(this.stdin, this.stderr);
  }

  suspend(): void {
    this.editor.suspend();
  }
}

/**
 * The read-run loop on a terminal. The prompt shows the cluster, the target,
 * the gRPC service and the exit code of the last command when it failed.
 * Ends on `exit` (its code) or Ctrl-D (0).
 */
export async function interactiveLoop(ctx: ReplContext, editor: LineEditor): Promise<number> {
  const {out} = ctx;
  out.note(out.errColor.dim("dial repl: dial commands without 'dial', plus use, show, desc, header, history. 'help' lists them; Tab completes; Ctrl-D leaves."));
  for (;;) {
    const e = await editor.readCommand(ctx.session.prompt(out.errColor), out.errColor.dim('... '));
    if (e.type === 'eof') return 0;
    if (e.type === 'interrupt') continue;
    const r: LineResult | undefined = await execute(ctx, e.text);
    if (!r) continue;
    ctx.session.lastCode = r.code;
    if (r.exit) return r.code;
  }
}
