import {Command, type Interfaces} from '@oclif/core';
import {dialHome} from '../config/index.js';
import {ExitCode} from '../errors/index.js';
import type {OpenRegistryOptions, Registry} from '../registry/index.js';
import {globalFlags} from './flags.js';
import {Output} from './output.js';
import {toDialError} from './parse-errors.js';

/**
 * The base of every dial command: --json (one typed document on stdout),
 * --no-color / NO_COLOR, --no-input, errors rendered with a hint (JSON under
 * --json) and mapped to the exit codes of the README, and an AbortSignal that
 * SIGINT/SIGTERM trigger (exit 130).
 */
export abstract class DialCommand extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = globalFlags;

  protected out!: Output;
  protected readonly abort = new AbortController();
  private onSignal?: () => void;
  private readonly closers: (() => Promise<void>)[] = [];

  override async init(): Promise<void> {
    await super.init();
    this.out = new Output({noColor: this.argv.includes('--no-color'), json: this.jsonEnabled()});
    this.onSignal = () => {
      if (this.abort.signal.aborted) process.exit(ExitCode.Interrupted);
      this.abort.abort();
      process.exitCode = ExitCode.Interrupted;
    };
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** The signal long-running work listens to; aborted on Ctrl-C. */
  protected get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** DIAL_HOME for this invocation. */
  protected get home(): string {
    return dialHome();
  }

  /** Opens the registry of --registry/DIAL_REGISTRY (or the local cluster); closed when the command ends. */
  protected async openRegistry(opts: Omit<OpenRegistryOptions, 'home'> = {}): Promise<Registry> {
    const {openRegistry} = await import('../registry/open.js');
    const reg = await openRegistry({...opts, home: this.home});
    this.closers.push(() => reg.close());
    return reg;
  }

  /** Registers cleanup that runs when the command ends, success or not. */
  protected onFinally(fn: () => Promise<void> | void): void {
    this.closers.push(async () => fn());
  }

  /** Prompts are allowed only on a TTY, never under --no-input, CI=true or --json. */
  protected canPrompt(): boolean {
    return (
      Boolean(process.stdin.isTTY && process.stderr.isTTY) &&
      !this.argv.includes('--no-input') &&
      process.env.CI !== 'true' &&
      !this.jsonEnabled()
    );
  }

  override logJson(json: unknown): void {
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  }

  protected override async catch(err: Interfaces.CommandError): Promise<void> {
    const e = toDialError(err);
    process.exitCode = e.exitCode;
    if (process.env.DIAL_DEBUG && e.cause) process.stderr.write(`${(e.cause as Error)?.stack ?? String(e.cause)}\n`);
    if (this.jsonEnabled()) this.logJson(e.toJSON());
    const out = this.out ?? new Output({noColor: true});
    out.note(`${out.errColor.red('error:')} ${e.message}`);
    if (e.hint) out.note(`${out.errColor.dim('hint:')}  ${e.hint}`);
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close().catch(() => undefined);
    if (this.onSignal) {
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onSignal);
    }
    return super.finally(err);
  }
}

/** Flag and arg types of a command class, for typed `this.parse` results. */
export type FlagsOf<T extends typeof Command> = Interfaces.InferredFlags<T['flags'] & T['baseFlags']>;
