import {ExitCode} from './exit-codes.js';

/**
 * The one error type of the dial library. `code` is a stable, SCREAMING_SNAKE
 * string that scripts may match on; `message` says what failed and why;
 * `hint` says what to do next. `exitCode` is what the CLI exits with.
 */
export interface DialErrorOptions {
  hint?: string;
  exitCode?: number;
  cause?: unknown;
  /** Extra structured data shown under --json (e.g. gRPC status, details). */
  details?: Record<string, unknown>;
}

export class DialError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly exitCode: number;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, options: DialErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.name = 'DialError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.Failed;
    this.details = options.details;
  }

  /** The JSON shape of an error under --json. */
  toJSON(): {error: {code: string; message: string; hint?: string; exitCode: number; details?: Record<string, unknown>}} {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.hint ? {hint: this.hint} : {}),
        exitCode: this.exitCode,
        ...(this.details ? {details: this.details} : {}),
      },
    };
  }
}

export function isDialError(e: unknown): e is DialError {
  return e instanceof DialError;
}

/** A usage error (exit 2): a bad flag, argument or input file. */
export function usageError(message: string, hint?: string): DialError {
  return new DialError('USAGE', message, {hint, exitCode: ExitCode.Usage});
}
