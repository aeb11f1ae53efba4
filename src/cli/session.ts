import {dialHome} from '../config/index.js';
import {DialError, ExitCode} from '../errors/index.js';
import type {OpenRegistryOptions, Registry} from '../registry/index.js';
import {Output} from './output.js';
import {toDialError} from './parse-errors.js';

/**
 * What a command's logic sees of the run it is part of. Both ways of running
 * a command provide it: oclif (DialCommand) and the fast path of bin/run.js
 * (src/cli/fast.ts), which parses from a spec made of the command's oclif
 * definitions and never loads oclif.
 */
export interface CommandContext {
  readonly out: Output;
  /** Aborted on Ctrl-C / SIGTERM. */
  readonly signal: AbortSignal;
  /** dial's version (package.json), e.g. for the user-agent. */
  readonly version: string;
  /** DIAL_HOME for this invocation. */
  readonly home: string;
  jsonEnabled(): boolean;
  /** Writes a line of data to stdout, unless --json is on. */
  log(text: string): void;
  /** Opens the registry of --registry/DIAL_REGISTRY (or the local cluster); closed when the command ends. */
  openRegistry(opts?: Omit<OpenRegistryOptions, 'home'>): Promise<Registry>;
  /** Registers cleanup that runs when the command ends, success or not. */
  onFinally(fn: () => Promise<void> | void): void;
}

/**
 * oclif's rule for --json: the flag before any `--`, or DIAL_CONTENT_TYPE=json.
 */
export function jsonRequested(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.DIAL_CONTENT_TYPE?.toLowerCase() === 'json') return true;
  const end = argv.indexOf('--');
  const json = argv.indexOf('--json');
  return json !== -1 && (end === -1 || json < end);
}

/** Writes one JSON document (the result or the error under --json) to stdout. */
export function writeJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * Reports an error the way every dial command does: exit code from the
 * DialError, the error as JSON on stdout under --json, and `error:` plus a
 * `hint:` on stderr.
 */
export function reportError(err: unknown, json: boolean, out: Output = new Output({noColor: true}), logJson: (value: unknown) => void = writeJson): void {
  const e = toDialError(err);
  process.exitCode = e.exitCode;
  if (process.env.DIAL_DEBUG && e.cause) process.stderr.write(`${(e.cause as Error)?.stack ?? String(e.cause)}\n`);
  if (json) logJson(e.toJSON());
  out.note(`${out.errColor.red('error:')} ${e.message}`);
  if (e.hint) out.note(`${out.errColor.dim('hint:')}  ${e.hint}`);
}

/**
 * The life of one command run, apart from parsing: output settings, the
 * abort signal that SIGINT/SIGTERM trigger (a second signal exits 130 at
 * once), the registries and other resources to close at the end.
 */
export class CommandSession implements CommandContext {
  readonly out: Output;
  private readonly abort = new AbortController();
  private readonly closers: (() => Promise<void>)[] = [];
  private readonly onSignal = () => {
    if (this.abort.signal.aborted) process.exit(ExitCode.Interrupted);
    this.abort.abort();
    process.exitCode = ExitCode.Interrupted;
  };

  constructor(
    private readonly argv: readonly string[],
    private readonly json: boolean,
    readonly version: string,
  ) {
    this.out = new Output({noColor: argv.includes('--no-color'), json});
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  jsonEnabled(): boolean {
    return this.json;
  }

  log(text: string): void {
    if (!this.json) this.out.line(text);
  }

  /** DIAL_HOME for this invocation. */
  get home(): string {
    return dialHome();
  }

  async openRegistry(opts: Omit<OpenRegistryOptions, 'home'> = {}): Promise<Registry> {
    const {openRegistry} = await import('../registry/open.js');
    const reg = await openRegistry({...opts, home: this.home});
    this.closers.push(() => reg.close());
    return reg;
  }

  /** Registers cleanup that runs when the command ends, success or not. */
  onFinally(fn: () => Promise<void> | void): void {
    this.closers.push(async () => fn());
  }

  /** Prompts are allowed only on a TTY, never under --no-input, CI=true or --json. */
  canPrompt(): boolean {
    return Boolean(process.stdin.isTTY && process.stderr.isTTY) && !this.argv.includes('--no-input') && process.env.CI !== 'true' && !this.json;
  }

  /** Reports an error (reportError); `logJson` prints it under --json (a command that prints NDJSON prints it as one line). */
  fail(err: unknown, logJson?: (value: unknown) => void): void {
    // After Ctrl-C, whatever the aborted work threw (a canceled RPC, a closed socket) is the interruption itself.
    const e = this.abort.signal.aborted ? new DialError('INTERRUPTED', 'interrupted', {exitCode: ExitCode.Interrupted}) : err;
    reportError(e, this.json, this.out, logJson);
  }

  /** Closes what the command opened (last first) and removes the signal handlers. */
  async end(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close().catch(() => undefined);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
