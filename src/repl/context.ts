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
   * Request messages for a streaming call, one JSON value per line until an
   * empty line (or Ctrl-D / end of input); undefined when cancelled.
   */
  readMessages(typeName: string): Promise<unknown[] | undefined>;
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
