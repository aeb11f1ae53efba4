import type {Output} from '../cli/output.js';
import {parseJsonStream} from '../rpc/request-data.js';
import type {LineResult, ReplContext, ReplIO} from './context.js';
import {printError} from './dispatch.js';
import {toDialError} from '../cli/parse-errors.js';
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

  async readMessages(typeName: string): Promise<unknown[] | undefined> {
    this.out.note(this.out.errColor.dim(`${typeName} messages as JSON, one per line; an empty line or Ctrl-D sends them, Ctrl-C cancels`));
    const messages: unknown[] = [];
    try {
      for (;;) {
        const e = await this.editor.read(`${messages.length + 1}> `);
        if (e.type === 'interrupt') return undefined;
        if (e.type === 'eof' || e.text.trim() === '') return messages;
        try {
          messages.push(...parseJsonStream(e.text, `message ${messages.length + 1}`));
        } catch (err) {
          printError(this.out, toDialError(err));
        }
      }
    } finally {
      this.editor.suspend();
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
