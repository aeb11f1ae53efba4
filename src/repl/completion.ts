import {readdir} from 'node:fs/promises';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {BUILTINS, findBuiltin} from './builtins/index.js';
import {flagFor, positionalsOf, type ArgInfo, type CommandInfo, type FlagInfo} from './catalog.js';
import type {ReplContext} from './context.js';
import {symbolsOf} from './describe.js';
import {methodsOf} from './schema-cache.js';
import {wordAtCursor} from './tokenize.js';
import {isAddress} from '../rpc/target.js';

/** How long completion waits for a schema by reflection before giving up for this Tab. */
const SCHEMA_WAIT_MS = 2_000;

/**
 * Tab completion: the REPL's commands and every dial command (and its
 * subcommands), flags and their fixed values, registry service names for
 * TARGET arguments, methods and symbols from the target's reflection, and
 * file paths after `@` (for -d @FILE) or in path-like flag values.
 * Returns readline's [candidates, the text they replace].
 */
export async function complete(ctx: ReplContext, textBeforeCursor: string): Promise<[string[], string]> {
  const {before, word} = wordAtCursor(textBeforeCursor);
  const all = await candidates(ctx, before, word);
  const hits = [...new Set(all.filter((c) => c.startsWith(word)))].sort();
  // A single full match gets its trailing space, as in bash (not for directories, to go on typing the path).
  if (hits.length === 1 && !hits[0].endsWith('/')) return [[`${hits[0]} `], word];
  return [hits, word];
}

async function candidates(ctx: ReplContext, typed: string[], word: string): Promise<string[]> {
  if (word.startsWith('@')) return files(word.slice(1), '@');
  const dial = typed[0] === 'dial';
  const words = dial ? typed.slice(1) : typed;
  if (words.length === 0) return [...(dial ? [] : BUILTINS.map((b) => b.name)), ...ctx.catalog.nextWords([])];
  const builtin = dial ? undefined : findBuiltin(words[0]);
  if (builtin) return (await builtin.complete?.(ctx, words.slice(1))) ?? [];
  const found = ctx.catalog.find(words);
  if (!found) return ctx.catalog.isTopic(words) ? ctx.catalog.nextWords(words) : [];
  const {command, used} = found;
  const argv = words.slice(used);
  if (argv.length === 0 && ctx.catalog.isTopic(words)) {
    return [...ctx.catalog.nextWords(words), ...(await argCandidates(ctx, command, argv, word))];
  }
  const prev = argv[argv.length - 1];
  const prevFlag = prev === undefined ? undefined : flagFor(command, prev);
  if (prevFlag?.takesValue && !prev.includes('=') && (prev.startsWith('--') || prev.length === 2)) return flagValues(prevFlag, word);
  if (word.startsWith('-')) return flagNames(command, argv);
  return argCandidates(ctx, command, argv, word);
}

function flagNames(command: CommandInfo, argv: string[]): string[] {
  const used = positionalsOf(command, argv).flags;
  return command.flags.filter((f) => f.multiple || !used.has(f.name)).map((f) => `--${f.name}`);
}

async function flagValues(flag: FlagInfo, word: string): Promise<string[]> {
  if (flag.options) return [...flag.options];
  if (/^[./~]/.test(word) || word.includes('/')) return files(word, '');
  return [];
}

/** Candidates for the positional argument being typed, by what the argument is. */
async function argCandidates(ctx: ReplContext, command: CommandInfo, argv: string[], word: string): Promise<string[]> {
  const {values} = positionalsOf(command, argv);
  const session = ctx.session.target;
  const takesTarget = command.args[0]?.name === 'target';
  // With a session target, `call SayHello` means `call TARGET SayHello`: the first word may already be the method.
  const explicitTarget = values.length > 0 && (isAddress(values[0]) || ctx.names.names.includes(values[0]) || values[0] === session?.name);
  const implied = takesTarget && session !== undefined && !explicitTarget;
  const index = values.length + (implied && values.length > 0 ? 1 : 0);
  const target = takesTarget ? (implied ? session!.name : values[0]) : session?.name;
  const out: string[] = [];
  if (implied && values.length === 0) out.push(...(await valuesFor(ctx, command.args, 1, target, word)));
  out.push(...(await valuesFor(ctx, command.args, index, target, word)));
  return out;
}

async function valuesFor(ctx: ReplContext, args: ArgInfo[], index: number, target: string | undefined, word: string): Promise<string[]> {
  const arg = args[index];
  if (!arg) return [];
  if (arg.options) return [...arg.options];
  const afterTarget = index > 0 && args[0].name === 'target';
  // TARGET, or a first argument its command describes as a service name (discover NAME, health NAME ...): the registry's.
  if (arg.name === 'target' || (!afterTarget && (arg.name === 'service' || /\bservice name\b/i.test(arg.description ?? '')))) return [...ctx.names.names];
  if (!target) return [];
  if (arg.name === 'service') return (await ctx.schemas.peek(target, SCHEMA_WAIT_MS))?.services ?? [];
  if (arg.name === 'method') {
    const schema = await ctx.schemas.peek(target, SCHEMA_WAIT_MS);
    if (!schema) return [];
    const selected = ctx.session.target?.name === target ? ctx.session.target.service : undefined;
    const methods = methodsOf(schema);
    return [
      ...methods.map((m) => `${m.parent.typeName}/${m.name}`),
      ...methods.filter((m) => !selected || m.parent.typeName === selected).map((m) => m.name),
    ];
  }
  if (arg.name === 'symbol') {
    const schema = await ctx.schemas.peek(target, SCHEMA_WAIT_MS);
    return schema ? symbolsOf(schema) : [];
  }
  if (word.includes('/') || /^[./~]/.test(word)) return files(word, '');
  return [];
}

/** Paths that complete `partial` (relative to the working directory, ~ for home), directories with a trailing slash. */
async function files(partial: string, prefix: string): Promise<string[]> {
  const slash = partial.lastIndexOf('/');
  const dir = slash === -1 ? '' : partial.slice(0, slash + 1);
  const base = partial.slice(dir.length);
  const abs = dir.startsWith('~/') ? join(homedir(), dir.slice(2)) : dir || '.';
  try {
    const entries = await readdir(abs, {withFileTypes: true});
    return entries
      .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
      .map((e) => `${prefix}${dir}${e.name}${e.isDirectory() ? '/' : ''}`);
  } catch {
    return [];
  }
}
