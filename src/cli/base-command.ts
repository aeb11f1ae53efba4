import {Command, type Interfaces} from '@oclif/core';
import type {OpenRegistryOptions, Registry} from '../registry/index.js';
import {globalFlags} from './flags.js';
import type {Output} from './output.js';
import {CommandSession, reportError, writeJson, type CommandContext} from './session.js';

/**
 * The base of every dial command: --json (one typed document on stdout),
 * --no-color / NO_COLOR, --no-input, errors rendered with a hint (JSON under
 * --json) and mapped to the exit codes of the README, and an AbortSignal that
 * SIGINT/SIGTERM trigger (exit 130). The run itself is a CommandSession, the
 * same one the fast path of bin/run.js uses.
 */
export abstract class DialCommand extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = globalFlags;

  private session?: CommandSession;

  override async init(): Promise<void> {
    await super.init();
    this.session = new CommandSession(this.argv, this.jsonEnabled(), this.config.version);
  }

  /** What the command's logic sees of this run (for logic shared with the fast path). */
  protected get context(): CommandContext {
    return this.live;
  }

  private get live(): CommandSession {
    if (!this.session) throw new Error('DialCommand used before init()');
    return this.session;
  }

  protected get out(): Output {
    return this.live.out;
  }

  /** The signal long-running work listens to; aborted on Ctrl-C. */
  protected get signal(): AbortSignal {
    return this.live.signal;
  }

  /** DIAL_HOME for this invocation. */
  protected get home(): string {
    return this.live.home;
  }

  /** Opens the registry of --registry/DIAL_REGISTRY (or the local cluster); closed when the command ends. */
  protected openRegistry(opts: Omit<OpenRegistryOptions, 'home'> = {}): Promise<Registry> {
    return this.live.openRegistry(opts);
  }

  /** Registers cleanup that runs when the command ends, success or not. */
  protected onFinally(fn: () => Promise<void> | void): void {
    this.live.onFinally(fn);
  }

  /** Prompts are allowed only on a TTY, never under --no-input, CI=true or --json. */
  protected canPrompt(): boolean {
    return this.live.canPrompt();
  }

  override logJson(json: unknown): void {
    writeJson(json);
  }

  protected override async catch(err: Interfaces.CommandError): Promise<void> {
    const logJson = (v: unknown) => this.logJson(v);
    if (this.session) this.session.fail(err, logJson);
    else reportError(err, this.jsonEnabled(), undefined, logJson);
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    await this.session?.end();
    return super.finally(err);
  }
}

/** Flag and arg types of a command class, for typed `this.parse` results. */
export type FlagsOf<T extends typeof Command> = Interfaces.InferredFlags<T['flags'] & T['baseFlags']>;
