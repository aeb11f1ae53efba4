import {Chalk, type ChalkInstance} from 'chalk';
import {createRequire} from 'node:module';

// cli-table3 loads when a table is drawn: most runs of `dial call` draw none, and loading it
// at start-up cost more than the call's own JSON output.
const load = createRequire(import.meta.url);

/**
 * Everything a command needs to render: color (off unless stdout is a TTY and
 * NO_COLOR is unset and --no-color is absent), tables, and stream writers.
 * stdout carries data only; diagnostics go to stderr.
 */
export interface OutputOptions {
  noColor?: boolean;
  json?: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

export class Output {
  readonly color: ChalkInstance;
  readonly json: boolean;
  readonly stdout: NodeJS.WriteStream;
  private readonly errStream?: NodeJS.WriteStream;
  private readonly colorAllowed: boolean;
  private errChalk?: ChalkInstance;

  constructor(opts: OutputOptions = {}) {
    const env = opts.env ?? process.env;
    this.stdout = opts.stdout ?? process.stdout;
    this.errStream = opts.stderr;
    this.json = Boolean(opts.json);
    this.colorAllowed = !opts.noColor && env.NO_COLOR === undefined && env.TERM !== 'dumb';
    this.color = new Chalk({level: this.colorAllowed && this.stdout.isTTY ? 1 : 0});
  }

  // stderr and its colors are looked at when first used: a run that writes no diagnostic
  // (`tls init`, a call that succeeds) never makes node set up process.stderr (for a pipe,
  // node:net and a socket, ~1 ms).
  get stderr(): NodeJS.WriteStream {
    return this.errStream ?? process.stderr;
  }

  get errColor(): ChalkInstance {
    return (this.errChalk ??= new Chalk({level: this.colorAllowed && this.stderr.isTTY ? 1 : 0}));
  }

  /** True when progress indicators may be drawn (stderr is a terminal). */
  get progress(): boolean {
    return Boolean(this.stderr.isTTY) && !this.json;
  }

  /** Writes a line of data to stdout. */
  line(text = ''): void {
    this.stdout.write(text + '\n');
  }

  /** Writes one compact JSON document per line (NDJSON) to stdout. */
  ndjson(value: unknown): void {
    this.stdout.write(JSON.stringify(value) + '\n');
  }

  /** Writes a diagnostic line to stderr. */
  note(text: string): void {
    this.stderr.write(text + '\n');
  }

  /** Renders rows as a table (no borders, like consul and kubectl). */
  table(head: string[], rows: (string | number)[][]): string {
    const Table = load('cli-table3') as typeof import('cli-table3');
    const t = new Table({
      head: head.map((h) => this.color.bold(h)),
      chars: {
        top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
        bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
        left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
      },
      style: {head: [], border: [], 'padding-left': 0, 'padding-right': 0},
    });
    for (const r of rows) t.push(r.map(String));
    return t.toString().split('\n').map((l) => l.trimEnd()).join('\n');
  }

  /** Colors a health word the way consul's UI does. */
  health(status: string): string {
    if (status === 'passing') return this.color.green(status);
    if (status === 'warning') return this.color.yellow(status);
    if (status === 'critical') return this.color.red(status);
    return status;
  }
}
