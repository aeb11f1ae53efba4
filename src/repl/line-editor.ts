import {createInterface, type Interface, type Key} from 'node:readline';
import type {History} from './history.js';
import {ReverseSearch} from './reverse-search.js';
import {isIncomplete} from './tokenize.js';

/** What one read from the terminal gave. */
export type ReadEvent = {type: 'line'; text: string} | {type: 'eof'} | {type: 'interrupt'};

/**
 * The parts of readline.Interface the editor drives beyond the typed API:
 * Node's own REPL uses the same (`_ttyWrite` is the keypress hook it wraps).
 */
interface ReadlineInternals {
  line: string;
  cursor: number;
  historyIndex: number;
  _ttyWrite(s: string | undefined, key: Key | undefined): void;
  _refreshLine(): void;
  clearLine(): void;
}

export interface LineEditorOptions {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
  history: History;
  /** Candidates for the text before the cursor, and the part of it they replace. */
  complete(textBeforeCursor: string): Promise<[string[], string]>;
}

/**
 * The REPL's line editor: Node's readline (emacs keys, Up/Down history with
 * prefix search, Tab completion) plus Ctrl-R reverse search, multi-line
 * commands (a line ending inside quotes continues on the next), Ctrl-C that
 * clears the line, and Ctrl-D that ends input. While a command runs the editor
 * is suspended: the terminal is back in cooked mode, so Ctrl-C is a real
 * SIGINT for the command, and keys reach whatever prompt the command shows.
 */
export class LineEditor {
  private readonly rl: Interface;
  private readonly raw: ReadlineInternals;
  private readonly original: ReadlineInternals['_ttyWrite'];
  private active = false;
  private readonly queue: ReadEvent[] = [];
  private waiter?: (e: ReadEvent) => void;
  private search?: {state: ReverseSearch; prompt: string; line: string};
  private prompt = '';

  constructor(private readonly opts: LineEditorOptions) {
    this.rl = createInterface({
      input: opts.input,
      output: opts.output,
      terminal: true,
      history: opts.history.entries,
      // The editor records history itself (whole multi-line commands, not their lines).
      historySize: 0,
      tabSize: 2,
      completer: (line: string, cb: (err: Error | null, result: [string[], string]) => void) => {
        opts.complete(line).then((r) => cb(null, r), () => cb(null, [[], line]));
      },
    });
    this.raw = this.rl as unknown as ReadlineInternals;
    this.original = this.raw._ttyWrite.bind(this.rl);
    this.raw._ttyWrite = (s, key) => this.onKey(s, key);
    this.rl.on('line', (text) => {
      this.raw.historyIndex = -1;
      this.push({type: 'line', text});
    });
    this.rl.on('close', () => this.push({type: 'eof'}));
    this.suspend();
  }

  /** Reads one physical line with the prompt. */
  read(prompt: string): Promise<ReadEvent> {
    const queued = this.queue.shift();
    this.prompt = prompt;
    this.rl.setPrompt(prompt);
    this.activate();
    if (queued) return Promise.resolve(queued);
    this.rl.prompt(true);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /**
   * Reads a whole command: more lines with the continuation prompt while the
   * text ends inside quotes. Records it in the history. Ctrl-C drops it.
   */
  async readCommand(prompt: string, continuation = '... '): Promise<ReadEvent> {
    let text: string | undefined;
    for (;;) {
      const e = await this.read(text === undefined ? prompt : continuation);
      if (e.type === 'interrupt') return e;
      if (e.type === 'eof') return text === undefined ? e : {type: 'interrupt'};
      text = text === undefined ? e.text : `${text}\n${e.text}`;
      if (!isIncomplete(text)) break;
    }
    this.opts.history.add(text);
    return {type: 'line', text};
  }

  /** Ends a pending read as if the user pressed Ctrl-D, wiping its prompt (the input it waited for is no longer wanted). */
  cancelRead(): void {
    if (!this.waiter) return;
    this.opts.output.write('\r\u001b[K');
    this.push({type: 'eof'});
  }

  /**
   * Writes output above the line being edited: wipes the prompt line, lets
   * `write` print, and draws the prompt and the typed text again below it.
   */
  printAbove(write: () => void): void {
    if (!this.waiter) return write();
    this.opts.output.write('\r\u001b[K');
    write();
    this.raw._refreshLine();
  }

  /** Gives the terminal back (cooked mode, input paused) while something else runs. */
  suspend(): void {
    this.active = false;
    this.rl.pause();
    if (this.opts.input.isTTY) this.opts.input.setRawMode(false);
  }

  close(): void {
    this.active = false;
    this.rl.close();
  }

  private activate(): void {
    if (this.opts.input.isTTY) this.opts.input.setRawMode(true);
    this.active = true;
    this.rl.resume();
  }

  private push(e: ReadEvent): void {
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w(e);
    else this.queue.push(e);
  }

  private onKey(s: string | undefined, key: Key | undefined): void {
    if (!this.active) return;
    if (this.search) return this.onSearchKey(s, key);
    if (key?.ctrl && key.name === 'c') {
      this.opts.output.write('^C');
      this.raw.clearLine();
      return this.push({type: 'interrupt'});
    }
    if (key?.ctrl && key.name === 'd' && this.raw.line === '') {
      this.raw.clearLine();
      return this.push({type: 'eof'});
    }
    if (key?.ctrl && key.name === 'r') {
      this.search = {state: new ReverseSearch(this.opts.history.entries), prompt: this.prompt, line: this.raw.line};
      return this.drawSearch();
    }
    this.original(s, key);
  }

  private onSearchKey(s: string | undefined, key: Key | undefined): void {
    const search = this.search!;
    const {state} = search;
    if (key?.ctrl && key.name === 'r') state.next();
    else if (key?.name === 'backspace') state.backspace();
    else if (key?.ctrl && (key.name === 'c' || key.name === 'g')) {
      this.endSearch(search.line, search.line.length);
    } else if (key?.name === 'return' || key?.name === 'enter') {
      this.endSearch(state.match ?? search.line, 0);
      this.original('\r', {name: 'return', ctrl: false, meta: false, shift: false, sequence: '\r'});
    } else if (s && !key?.ctrl && !key?.meta && isPrintable(s)) state.type(s);
    else {
      // Any other key (arrows, Tab, Esc, Ctrl-A/E...) keeps the match for editing, as bash does.
      this.endSearch(state.match ?? search.line, state.match ? state.matchPosition : search.line.length);
      if (key?.name !== 'escape') this.original(s, key);
      return;
    }
    if (this.search) this.drawSearch();
  }

  private drawSearch(): void {
    const {state} = this.search!;
    this.rl.setPrompt(state.prompt);
    this.raw.line = state.match ?? '';
    this.raw.cursor = state.matchPosition;
    this.raw._refreshLine();
  }

  private endSearch(line: string, cursor: number): void {
    this.rl.setPrompt(this.search!.prompt);
    this.search = undefined;
    this.raw.line = line;
    this.raw.cursor = cursor;
    this.raw._refreshLine();
  }
}

/** True for typed text (no control characters), which extends a reverse search. */
function isPrintable(s: string): boolean {
  return [...s].every((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f);
}
