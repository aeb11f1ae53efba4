import {execFileSync} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {BIN, ROOT} from './cli.js';

const TMUX = ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((p) => existsSync(p));
let serial = 0;
const EXITED = '[dial exited ';

/** Why terminal tests cannot run here (tmux missing), or undefined when they can. */
export function terminalSkipReason(): string | undefined {
  return TMUX ? undefined : 'tmux is not installed: apt-get install -y tmux';
}

export interface TerminalOptions {
  home: string;
  /** Arguments after `dial`, e.g. ['repl']. */
  args: string[];
  env?: Record<string, string>;
  cols?: number;
  rows?: number;
  cwd?: string;
}

/**
 * `dial ARGS` in a real pseudo-terminal: a tmux server of its own (a private
 * socket, killed by close()), keys sent with send-keys, the screen read with
 * capture-pane, as a user would type and see.
 */
export class Terminal {
  private socketPath?: string;

  private constructor(private readonly socket: string) {}

  static async start(opts: TerminalOptions): Promise<Terminal> {
    const socket = `dial-test-${process.pid}-${++serial}`;
    const term = new Terminal(socket);
    const env = {DIAL_HOME: opts.home, NO_COLOR: '1', CI: '', DIAL_REGISTRY: '', DIAL_TOKEN: '', ...opts.env};
    // The shell reports dial's exit status on the screen: tmux's own #{pane_dead_status} can stay empty
    // when the pane's pty closes before tmux reaps the process.
    const command = `${[process.execPath, BIN, ...opts.args].map((w) => `'${w.replaceAll("'", "'\\''")}'`).join(' ')}; echo "${EXITED}$?]"`;
    term.tmux(
      'new-session', '-d', '-s', 'main', '-x', String(opts.cols ?? 120), '-y', String(opts.rows ?? 40), '-c', opts.cwd ?? ROOT,
      ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      command, ';', 'set-option', '-t', 'main', 'remain-on-exit', 'on', ';', 'set-option', '-t', 'main', 'history-limit', '5000',
    );
    term.socketPath = term.tmux('display-message', '-p', '#{socket_path}').trim();
    return term;
  }

  private tmux(...args: string[]): string {
    return execFileSync(TMUX!, ['-L', this.socket, ...args], {encoding: 'utf8', env: {...process.env, TMUX: ''}});
  }

  /** Types text literally (no key names). */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', '--', text);
  }

  /** Presses keys by tmux name: Enter, Tab, C-c, C-d, C-r, Up, BSpace ... */
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  /** Everything on the screen and in its scrollback, wrapped lines joined, trailing blank lines dropped. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-N', '-t', 'main', '-S', '-5000').replace(/\n+$/, '');
  }

  /** The line the cursor is on. */
  cursorLine(): string {
    const y = Number(this.tmux('display-message', '-p', '-t', 'main', '#{cursor_y}').trim());
    return this.tmux('capture-pane', '-p', '-N', '-t', 'main').split('\n')[y] ?? '';
  }

  /** Waits until the screen matches (bounded), and returns it; fails with the screen when it does not. */
  async waitFor(pattern: RegExp | string, timeoutMs = 15_000, what = this.screen.bind(this)): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = what();
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return text;
      await sleep(50);
    }
    throw new Error(`the terminal never showed ${String(pattern)} within ${timeoutMs}ms; it shows:\n${text}`);
  }

  /** Waits until `ready` holds for the screen (bounded); fails with the screen when it does not. */
  async waitUntil(ready: (screen: string) => boolean, timeoutMs = 15_000, what = 'the expected state'): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = this.screen();
      if (ready(text)) return text;
      await sleep(50);
    }
    throw new Error(`the terminal never reached ${what} within ${timeoutMs}ms; it shows:\n${text}`);
  }

  /** The exit status of dial once it ended, or undefined while it runs. */
  exitStatus(): number | undefined {
    const m = /\[dial exited (\d+)\]/.exec(this.screen());
    return m ? Number(m[1]) : undefined;
  }

  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const s = this.exitStatus();
      if (s !== undefined) return s;
      await sleep(50);
    }
    throw new Error(`dial did not exit within ${timeoutMs}ms; the terminal shows:\n${this.screen()}`);
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    // tmux leaves its socket file behind; runs would pile them up in /tmp/tmux-UID.
    if (this.socketPath) rmSync(this.socketPath, {force: true});
  }
}
