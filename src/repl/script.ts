import {createInterface} from 'node:readline';
import {parseJsonStream} from '../rpc/request-data.js';
import type {ReplContext, ReplIO} from './context.js';
import {execute} from './executor.js';
import {isIncomplete} from './tokenize.js';

/** Lines of a script, read one at a time (commands, and the request messages some of them take). */
export class ScriptLines {
  private readonly lines: AsyncIterator<string>;
  lineNumber = 0;

  constructor(input: NodeJS.ReadableStream) {
    this.lines = createInterface({input, terminal: false, crlfDelay: Infinity})[Symbol.asyncIterator]();
  }

  async next(): Promise<string | undefined> {
    const r = await this.lines.next();
    if (r.done) return undefined;
    this.lineNumber++;
    return r.value;
  }
}

/** Scripted mode: request messages come from the lines after the command, up to an empty line. */
export class ScriptIO implements ReplIO {
  readonly interactive = false;

  constructor(private readonly lines: ScriptLines) {}

  async readMessages(): Promise<unknown[]> {
    const messages: unknown[] = [];
    for (;;) {
      const line = await this.lines.next();
      if (line === undefined || line.trim() === '') return messages;
      messages.push(...parseJsonStream(line, `line ${this.lines.lineNumber}`));
    }
  }

  async prompter(): Promise<undefined> {
    return undefined;
  }

  suspend(): void {}
}

/**
 * Runs a script fed on stdin: one command per line (continued while a line
 * ends inside quotes), in order, with no prompts and no colors. Stops at the
 * first command that fails and returns its exit code; with keepGoing runs
 * every line and returns the first failure's code. `exit N` ends with N.
 */
export async function runScript(ctx: ReplContext, lines: ScriptLines, keepGoing: boolean): Promise<number> {
  let firstFailure = 0;
  for (;;) {
    let text = await lines.next();
    if (text === undefined) return firstFailure;
    const start = lines.lineNumber;
    while (isIncomplete(text)) {
      const more = await lines.next();
      if (more === undefined) break;
      text += `\n${more}`;
    }
    // In memory only (a script's history has no file): `history` prints the session so far, as on a terminal.
    ctx.history.add(text);
    const r = await execute(ctx, text);
    if (!r) continue;
    if (r.exit) return r.code;
    if (r.code === 0) continue;
    ctx.out.note(`dial repl: line ${start} failed with exit code ${r.code}: ${text.split('\n')[0]}`);
    if (!keepGoing) return r.code;
    firstFailure ||= r.code;
  }
}
