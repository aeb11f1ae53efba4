import type {Config} from '@oclif/core';
import type {Output} from '../cli/output.js';
import type {Registry} from '../registry/index.js';
import type {CommandCatalog} from './catalog.js';
import type {Prompter} from './guided/index.js';
import type {History} from './history.js';
import type {SchemaCache} from './schema-cache.js';
import type {ServiceNames} from './service-names.js';
import type {Session} from './session.js';

/** What differs between the interactive REPL and a script piped into it. */
export interface ReplIO {
  readonly interactive: boolean;
  /**
   * Request messages for a streaming call read before it runs (scripted mode:
   * the lines after the command, up to an empty line); undefined when cancelled.
   */
  readMessages?(typeName: string): Promise<unknown[] | undefined>;
  /**
   * Runs a streaming call while the user types its request messages, one JSON
   * per line, each sent as it is entered (the call reads them as its stdin);
   * responses print as they arrive. Absent in scripted mode.
   */
  streamInput?(typeName: string, run: () => Promise<number>): Promise<number>;
  /** Who answers guided input; undefined when nobody can (scripted mode, CI=true). */
  prompter(): Promise<Prompter | undefined>;
  /** Hands the terminal to something else (a command, a prompt) until the next read. */
  suspend(): void;
}

/** Everything REPL commands and completion share. */
export interface ReplContext {
  readonly config: Config;
  readonly catalog: CommandCatalog;
  readonly session: Session;
  readonly schemas: SchemaCache;
  readonly names: ServiceNames;
  readonly history: History;
  readonly out: Output;
  readonly io: ReplIO;
  openRegistry(): Promise<Registry>;
  /** Aborted by Ctrl-C while the REPL itself waits (loading a schema); renewed for every command. */
  step: AbortController;
}

/** What running one line gave: the exit code the CLI would have used, and whether the REPL ends. */
export interface LineResult {
  code: number;
  exit?: boolean;
}
