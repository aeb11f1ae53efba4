import {parse} from 'shell-quote';
import {usageError} from '../errors/index.js';

/**
 * A REPL line is a dial command line without the leading `dial`: the same
 * words a POSIX shell would split (quotes, backslashes, $VARS, # comments),
 * parsed by shell-quote. Pipes, redirects and `;` are not run: one command per line.
 */
export function splitCommandLine(text: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const joined = text.replace(/\\\r?\n/g, '');
  const words: string[] = [];
  for (const part of parse(joined, (key) => env[key] ?? '')) {
    if (typeof part === 'string') words.push(part);
    else if ('comment' in part) break;
    else if (part.op === 'glob') words.push(part.pattern);
    else {
      throw usageError(`'${part.op}' is not supported here: the REPL runs one dial command per line, without pipes or redirects`,
        "quote it if it is part of a value, e.g. -d '{\"a\":\"x|y\"}'");
    }
  }
  return words;
}

/** Quotes words for a POSIX shell (only where needed), so a command the REPL shows can be pasted into a script. */
export function shellQuote(words: string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`)).join(' ');
}

/**
 * True when the text cannot be a whole command yet: it ends inside a quote or
 * after a backslash. The REPL then reads another line (multi-line JSON in quotes).
 */
export function isIncomplete(text: string): boolean {
  let quoteChar: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoteChar === "'") {
      if (c === "'") quoteChar = undefined;
    } else if (c === '\\') {
      if (i === text.length - 1) return true;
      i++;
    } else if (quoteChar === '"') {
      if (c === '"') quoteChar = undefined;
    } else if (c === '"' || c === "'") {
      quoteChar = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      if (nl === -1) break;
      i = nl;
    }
  }
  return quoteChar !== undefined;
}

/** The words before the cursor and the word being typed, for completion. */
export interface WordAtCursor {
  /** Whole words before the current one (unquoted). */
  before: string[];
  /** The current word as typed (what completion replaces). */
  word: string;
}

/** Splits the text before the cursor into finished words and the word being typed. */
export function wordAtCursor(textBeforeCursor: string): WordAtCursor {
  const m = /(?:^|\s)(\S*)$/.exec(textBeforeCursor);
  const word = m ? m[1] : '';
  const head = textBeforeCursor.slice(0, textBeforeCursor.length - word.length);
  let before: string[];
  try {
    before = parse(head, () => '').flatMap((p) => (typeof p === 'string' ? [p] : 'op' in p && p.op === 'glob' ? [p.pattern] : []));
  } catch {
    before = head.trim().split(/\s+/).filter(Boolean);
  }
  return {before, word};
}
