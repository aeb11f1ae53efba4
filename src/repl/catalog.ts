import type {Command, Config} from '@oclif/core';

/** A flag of a dial command, as completion and argv rewriting need it. */
export interface FlagInfo {
  name: string;
  char?: string;
  /** False for boolean flags. */
  takesValue: boolean;
  multiple: boolean;
  options?: readonly string[];
  summary?: string;
}

export interface ArgInfo {
  name: string;
  description?: string;
  required: boolean;
  options?: readonly string[];
}

/** One dial command, from the oclif manifest: what the REPL dispatches and completes. */
export interface CommandInfo {
  /** Words of the command, e.g. ['cluster', 'up']. */
  words: string[];
  /** The oclif id, e.g. 'cluster:up'. */
  id: string;
  summary?: string;
  flags: FlagInfo[];
  args: ArgInfo[];
}

/**
 * Every dial command, read from the oclif config (the manifest), so commands
 * other capabilities add appear in the REPL without any list to maintain.
 */
export class CommandCatalog {
  readonly commands: CommandInfo[];

  constructor(config: Config) {
    const sep = /[: ]/;
    const seen = new Set<string>();
    this.commands = [];
    for (const c of config.commands) {
      if (c.hidden || seen.has(c.id)) continue;
      seen.add(c.id);
      this.commands.push(toInfo(c, c.id.split(sep)));
      for (const alias of c.aliases ?? []) {
        if (seen.has(alias)) continue;
        seen.add(alias);
        this.commands.push({...toInfo(c, alias.split(sep)), id: c.id});
      }
    }
    this.commands.sort((a, b) => a.words.join(' ').localeCompare(b.words.join(' ')));
  }

  /** The command named by the leading words (the longest match), and how many words it used. */
  find(words: string[]): {command: CommandInfo; used: number} | undefined {
    let best: {command: CommandInfo; used: number} | undefined;
    for (const c of this.commands) {
      if (c.words.length > words.length || (best && best.used >= c.words.length)) continue;
      if (c.words.every((w, i) => w === words[i])) best = {command: c, used: c.words.length};
    }
    return best;
  }

  /** True when the words are a topic (a prefix of some command, e.g. `cluster`). */
  isTopic(words: string[]): boolean {
    return this.commands.some((c) => c.words.length > words.length && words.every((w, i) => w === c.words[i]));
  }

  /** The next words after `prefix`: top-level names for [], subcommands for a topic. */
  nextWords(prefix: string[]): string[] {
    const out = new Set<string>();
    for (const c of this.commands) {
      if (c.words.length > prefix.length && prefix.every((w, i) => w === c.words[i])) out.add(c.words[prefix.length]);
    }
    return [...out].sort();
  }
}

function toInfo(c: Command.Loadable, words: string[]): CommandInfo {
  const flags: FlagInfo[] = Object.entries(c.flags ?? {})
    .filter(([, f]) => !f.hidden)
    .map(([name, f]) => ({
      name,
      char: f.char,
      takesValue: f.type === 'option',
      multiple: f.type === 'option' && Boolean(f.multiple),
      options: f.type === 'option' ? f.options : undefined,
      summary: f.summary ?? f.description,
    }));
  const args: ArgInfo[] = Object.entries(c.args ?? {}).map(([name, a]) => ({name, description: a.description, required: Boolean(a.required), options: a.options}));
  return {words, id: c.id, summary: c.summary ?? c.description?.split('\n')[0], flags, args};
}

/** Splits a command's argv (after its words) into positionals, knowing which flags take a value. */
export function positionalsOf(c: CommandInfo, argv: string[]): {values: string[]; indexes: number[]; flags: Set<string>} {
  const values: string[] = [];
  const indexes: number[] = [];
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      for (let j = i + 1; j < argv.length; j++) {
        values.push(argv[j]);
        indexes.push(j);
      }
      break;
    }
    const flag = flagFor(c, a);
    if (flag) {
      flags.add(flag.name);
      if (flag.takesValue && !a.includes('=') && !(a.length > 2 && !a.startsWith('--'))) i++;
      continue;
    }
    values.push(a);
    indexes.push(i);
  }
  return {values, indexes, flags};
}

/** The flag a word names (--name, --name=value, -c, -cVALUE), if any. */
export function flagFor(c: CommandInfo, word: string): FlagInfo | undefined {
  if (word.startsWith('--')) {
    const name = word.slice(2).split('=')[0];
    return c.flags.find((f) => f.name === name || (!f.takesValue && `no-${f.name}` === name));
  }
  if (word.startsWith('-') && word.length >= 2) return c.flags.find((f) => f.char === word[1]);
  return undefined;
}
