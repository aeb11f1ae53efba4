import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type {FastFlag, FastSpec, Transforms} from './fast-parse.js';

/**
 * Builds the FastSpec of an oclif command class from its own definitions
 * (flags, baseFlags, --json, args), at build time (scripts/bundle.mjs writes
 * dist/fast-specs.json) and in tests. It refuses, so that the build fails,
 * anything the fast parser does not reproduce exactly: a flag whose parse
 * function is neither oclif's string/integer/boolean parse nor a transform
 * that gives the same value for every option, a dynamic default, aliases,
 * required or relationship-bound flags beyond exclusive/dependsOn, arguments
 * with options, defaults or parse functions, an optional argument that oclif
 * would read from stdin, a non-strict command.
 */
interface CommandClass {
  id?: string;
  flags?: Record<string, unknown>;
  baseFlags?: Record<string, unknown>;
  args?: Record<string, unknown>;
  enableJsonFlag?: boolean;
  strict?: boolean;
}

type AnyFlag = {
  name?: string; char?: string; type: 'boolean' | 'option'; parse?: (...a: unknown[]) => Promise<unknown>; multiple?: boolean; multipleNonGreedy?: boolean;
  options?: readonly string[]; default?: unknown; env?: string; exclusive?: string[]; dependsOn?: string[]; min?: number; max?: number;
  aliases?: string[]; charAliases?: string[]; required?: boolean; relationships?: unknown; exactlyOne?: string[]; combinable?: string[];
  allowNo?: boolean; allowStdin?: unknown; delimiter?: string; deprecated?: unknown; deprecateAliases?: boolean;
};

const src = (f: unknown) => String(f);
const stringParse = src(Flags.string().parse);
const integerParse = src(Flags.integer().parse);
const booleanParse = src(Flags.boolean().parse);
const argParse = src(Args.string().parse);

export async function fastSpecOf(id: string, cmd: CommandClass, transforms: Transforms): Promise<FastSpec> {
  const fail = (what: string) => {
    throw new Error(`dial ${id}: the fast path cannot parse ${what}; change the flag, or take '${id}' out of the fast path (src/cli/fast.ts)`);
  };
  if (cmd.strict === false) fail('a non-strict command');
  const json = cmd.enableJsonFlag ? {json: Flags.boolean({description: 'Format output as json.', helpGroup: 'GLOBAL'})} : {};
  const all = {...json, ...cmd.baseFlags, ...cmd.flags} as Record<string, AnyFlag>;
  const flags: Record<string, FastFlag> = {};
  for (const [name, f] of Object.entries(all)) {
    if (f.aliases?.length || f.charAliases?.length) fail(`--${name}: aliases`);
    if (f.required || f.relationships || f.exactlyOne || f.combinable) fail(`--${name}: required or related flags`);
    if (f.allowNo || f.allowStdin || f.delimiter || f.deprecated || f.deprecateAliases) fail(`--${name}: --no-, stdin, delimiter or deprecation`);
    if (typeof f.default === 'function') fail(`--${name}: a default computed at run time`);
    const out: FastFlag = {name, type: f.type, kind: 'string'};
    if (f.char) out.char = f.char;
    if (f.type === 'boolean') {
      if (f.parse && src(f.parse) !== booleanParse) fail(`--${name}: its parse function`);
      if (f.default !== undefined) fail(`--${name}: a boolean default`);
    } else {
      if (f.parse && src(f.parse) === integerParse) {
        out.kind = 'integer';
        if (f.min !== undefined) out.min = f.min;
        if (f.max !== undefined) out.max = f.max;
      } else if (f.parse && src(f.parse) !== stringParse) {
        const transform = transforms[name];
        if (!transform || !f.options?.length) fail(`--${name}: its parse function (give it options and a transform in src/cli/fast.ts)`);
        for (const o of f.options!) {
          if (JSON.stringify(await f.parse(o, {}, f)) !== JSON.stringify(transform(o))) fail(`--${name}: its transform differs from its parse function for '${o}'`);
        }
        out.kind = 'transform';
        if (f.default !== undefined) fail(`--${name}: a default with a parse function`);
      }
      if (f.multiple) {
        out.multiple = true;
        if (!f.multipleNonGreedy) out.greedy = true;
      }
      if (f.options) out.options = [...f.options];
      if (f.default !== undefined) out.default = f.default;
    }
    if (f.env) out.env = f.env;
    if (f.exclusive?.length) out.exclusive = [...f.exclusive];
    if (f.dependsOn?.length) out.dependsOn = [...f.dependsOn];
    flags[name] = out;
  }
  for (const f of Object.values(flags)) {
    for (const other of [...(f.exclusive ?? []), ...(f.dependsOn ?? [])]) {
      const o = flags[other];
      if (!o) fail(`--${f.name}: it relates to --${other}, which the command does not have`);
      if (o.default !== undefined || o.env || f.default !== undefined || f.env) fail(`--${f.name} and --${other}: a relationship with a default or an environment variable`);
    }
  }
  const args = Object.entries((cmd.args ?? {}) as Record<string, {required?: boolean; options?: unknown; default?: unknown; parse?: unknown; multiple?: boolean; ignoreStdin?: boolean}>).map(([name, a]) => {
    if (a.options || a.default !== undefined || a.multiple || (a.parse && src(a.parse) !== argParse)) fail(`argument ${name}: options, a default, several values or a parse function`);
    // oclif reads a missing optional argument from piped stdin unless told not to; the fast parser never reads stdin.
    if (!a.required && !a.ignoreStdin) fail(`argument ${name}: an optional argument that oclif would read from stdin (give it ignoreStdin: true)`);
    return {name, required: Boolean(a.required)};
  });
  return {flags, args};
}
