import {appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';

/**
 * The REPL's command history: newest first in memory (the array readline
 * navigates), oldest first in the file (one command per line, like bash's
 * ~/.bash_history), persisted in DIAL_HOME/repl_history with mode 0600.
 * Multi-line commands are stored joined into one line; lines typed with a
 * leading space are not recorded (bash's ignorespace), for secrets.
 */
export class History {
  /** Newest first. Handed to readline, which reads it for Up/Down. */
  readonly entries: string[] = [];
  private fileLines = 0;

  constructor(private readonly file: string | undefined, private readonly max = 1000) {
    if (!file) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    this.fileLines = lines.length;
    for (const line of lines.slice(-max)) this.push(line);
  }

  /** Records a finished command. Returns false when it is not kept (empty, or a leading space). */
  add(command: string): boolean {
    const line = oneLine(command);
    if (line.trim() === '' || /^\s/.test(command)) return false;
    if (this.entries[0] === line) return true;
    this.push(line);
    this.persist(line);
    return true;
  }

  /** Oldest first, as `history` prints it. */
  list(): string[] {
    return [...this.entries].reverse();
  }

  private push(line: string): void {
    const dup = this.entries.indexOf(line);
    if (dup !== -1) this.entries.splice(dup, 1);
    this.entries.unshift(line);
    if (this.entries.length > this.max) this.entries.length = this.max;
  }

  private persist(line: string): void {
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), {recursive: true, mode: 0o700});
      appendFileSync(this.file, line + '\n', {mode: 0o600});
      // Compact once the file holds twice what is kept.
      if (++this.fileLines > this.max * 2) {
        writeFileSync(this.file, this.list().join('\n') + '\n', {mode: 0o600});
        this.fileLines = this.entries.length;
      }
      chmodSync(this.file, 0o600);
    } catch {
      // History is a convenience: a read-only DIAL_HOME must not break the REPL.
    }
  }
}

/** A multi-line command as one line: the newlines a continuation added become spaces. */
export function oneLine(command: string): string {
  return command.replace(/\\?\r?\n\s*/g, ' ').trimEnd();
}
