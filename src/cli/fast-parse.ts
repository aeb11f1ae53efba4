/**
 * The argument parser of the fast path (src/cli/fast.ts): it reads the flags
 * and arguments of an oclif command from a FastSpec (made at build time from
 * the command's own oclif definitions, src/cli/fast-spec.ts) and accepts only
 * input whose meaning is beyond doubt. For that input it returns what oclif's
 * parser returns; for anything else (an unknown or repeated flag, a value
 * that is not one of the options, a missing argument, `--`, `-abc`, a value
 * that starts with '-', ...) it returns undefined and dial runs the command
 * under oclif, which parses it and reports the error in its own words.
 * test/unit/fast-parse.test.ts holds both parsers to the same results.
 */
export interface FastFlag {
  name: string;
  char?: string;
  type: 'boolean' | 'option';
  /** How an option's value becomes the flag's value: as it is, as an integer, or through a named transform. */
  kind: 'string' | 'integer' | 'transform';
  multiple?: boolean;
  /** A multiple flag without multipleNonGreedy takes every following argument. */
  greedy?: boolean;
  options?: string[];
  default?: unknown;
  env?: string;
  exclusive?: string[];
  dependsOn?: string[];
  min?: number;
  max?: number;
}

export interface FastSpec {
  /** In dist/fast-specs.json: the fast-path file of dist/vendor that runs the command (src/cli/fast.ts FAST_FILES). */
  file?: string;
  flags: Record<string, FastFlag>;
  args: {name: string; required: boolean}[];
}

export type Transforms = Record<string, (value: string) => unknown>;

export interface FastParsed {
  args: Record<string, string>;
  flags: Record<string, unknown>;
}

/** Parses argv (without the command id), or returns undefined when oclif should. */
export function fastParse(spec: FastSpec, argv: readonly string[], env: NodeJS.ProcessEnv, transforms: Transforms): FastParsed | undefined {
  const given = new Map<string, string[] | true>();
  const positionals: string[] = [];
  const byChar = new Map(Object.values(spec.flags).filter((f) => f.char).map((f) => [f.char!, f]));
  let current: FastFlag | undefined; // the last option flag, as in oclif (a greedy one takes the following arguments)
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') {
      if (current?.greedy) return undefined;
      positionals.push(arg);
      continue;
    }
    let flag: FastFlag | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      flag = Object.hasOwn(spec.flags, name) ? spec.flags[name] : undefined;
      if (eq !== -1) inline = arg.slice(eq + 1);
    } else if (arg.length === 2) {
      flag = byChar.get(arg[1]);
    }
    if (!flag) return undefined; // unknown, `--`, `-abc`, a negative number: oclif decides
    if (flag.type === 'boolean') {
      if (inline !== undefined || given.has(flag.name)) return undefined;
      given.set(flag.name, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (value.startsWith('-') && value !== '-')) return undefined;
    const values = given.get(flag.name);
    if (values !== undefined && !flag.multiple) return undefined;
    given.set(flag.name, [...((values as string[] | undefined) ?? []), value]);
    current = flag;
  }
  if (positionals.length > spec.args.length) return undefined;
  if (spec.args.some((a, i) => a.required && positionals[i] === undefined)) return undefined;

  const flags: Record<string, unknown> = {};
  for (const flag of Object.values(spec.flags)) {
    const input = given.get(flag.name);
    if (input === true) {
      flags[flag.name] = true;
      continue;
    }
    const fromEnv = input === undefined && flag.env ? env[flag.env] : undefined;
    if (fromEnv && flag.type === 'boolean') return undefined;
    const raw = input ?? (fromEnv ? [fromEnv] : undefined);
    if (raw === undefined) {
      if (flag.default !== undefined) flags[flag.name] = flag.default;
      continue;
    }
    const values: unknown[] = [];
    for (const v of raw) {
      if (flag.options && !flag.options.includes(v)) return undefined;
      const value = convert(flag, v, transforms);
      if (value === undefined) return undefined;
      values.push(value);
    }
    flags[flag.name] = flag.multiple && input !== undefined ? values : values.at(-1);
  }
  for (const name of given.keys()) {
    const flag = spec.flags[name];
    if (flag.exclusive?.some((other) => given.has(other))) return undefined;
    if (flag.dependsOn?.some((other) => !given.has(other))) return undefined;
  }
  const args: Record<string, string> = {};
  for (const [i, value] of positionals.entries()) args[spec.args[i].name] = value;
  return {args, flags};
}

function convert(flag: FastFlag, value: string, transforms: Transforms): unknown {
  if (flag.kind === 'string') return value;
  if (flag.kind === 'integer') {
    if (!/^\d+$/.test(value)) return undefined;
    const n = Number.parseInt(value, 10);
    if ((flag.min !== undefined && n < flag.min) || (flag.max !== undefined && n > flag.max)) return undefined;
    return n;
  }
  const transform = transforms[flag.name];
  if (!transform) return undefined;
  try {
    return transform(value);
  } catch {
    return undefined;
  }
}
