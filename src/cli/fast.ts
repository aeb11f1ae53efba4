import {normalizeProtocol} from '../rpc/protocol.js';
import {fastParse, type FastSpec, type Transforms} from './fast-parse.js';
import type {CommandContext} from './session.js';

/**
 * The fast path of bin/run.js, for the commands people run in loops and
 * scripts: `dial call`, `dial discover`, `dial tls init`, `dial sub`. Loading
 * oclif, its configuration and plugins costs more CPU than a unary call itself. Here the
 * command's flags and arguments are read from a spec that the build made from
 * its oclif definitions
 * (dist/fast-specs.json, src/cli/fast-spec.ts), and its logic runs in the
 * same CommandSession that DialCommand uses, so output, errors, exit codes and
 * --json are the same either way. Input the fast parser does not accept
 * (help, a typo, a bad value ...) goes to oclif, which also words the error.
 * DIAL_FAST_PATH=0 turns the fast path off.
 */
type Runner = (ctx: CommandContext, args: never, flags: never) => Promise<unknown>;
type Commands = Record<string, () => Promise<Runner>>;

// call, discover and sub share the codec, RPC and registry code; tls init needs none of it.
const CALL_COMMANDS: Commands = {
  call: async () => (await import('./run/call.js')).runCall,
  discover: async () => (await import('./run/discover.js')).runDiscover,
  sub: async () => (await import('./run/sub.js')).runSub,
};
const TLS_COMMANDS: Commands = {
  'tls init': async () => (await import('./run/tls-init.js')).runTlsInit,
};

/**
 * The files of the fast path and the commands each runs. scripts/vendor.mjs
 * builds dist/vendor/FILE.cjs from the `entry` function of this module alone
 * (exported as runFast), so each file holds only its own commands' code and
 * `tls init` reads and loads none of the RPC code. The build writes each
 * command's file into dist/fast-specs.json, where bin/run.js finds it.
 * Adding a command: put it in one of the tables above.
 */
export const FAST_FILES: Record<string, {entry: string; commands: Commands}> = {
  fast: {entry: 'runFast', commands: CALL_COMMANDS},
  'fast-tls': {entry: 'runFastTls', commands: TLS_COMMANDS},
};

/** Flags whose oclif parse function changes the value: the same change, without oclif (fast-spec.ts checks they agree). */
export const FAST_TRANSFORMS: Transforms = {
  protocol: normalizeProtocol,
};

/**
 * Runs command `id` (`call`, `discover`, `sub`) with `rest`, the words after its id,
 * if the fast parser accepts them, and returns false (having done nothing)
 * if oclif should run it instead. The entry of dist/vendor/fast.cjs.
 */
export function runFast(id: string, rest: readonly string[], spec: FastSpec, version: string): Promise<boolean> {
  return runCommand(CALL_COMMANDS, id, rest, spec, version);
}

/** runFast for `tls init`: the entry of dist/vendor/fast-tls.cjs. */
export function runFastTls(id: string, rest: readonly string[], spec: FastSpec, version: string): Promise<boolean> {
  return runCommand(TLS_COMMANDS, id, rest, spec, version);
}

async function runCommand(commands: Commands, id: string, rest: readonly string[], spec: FastSpec, version: string): Promise<boolean> {
  const parsed = Object.hasOwn(commands, id) ? fastParse(spec, rest, process.env, FAST_TRANSFORMS) : undefined;
  if (!parsed) return false;
  // As under oclif: stdout closing early (`dial call ... | head`) is not an error, and
  // DIAL_DEBUG prints each Node warning again with its stack.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  if (['1', 'true'].includes(process.env.DIAL_DEBUG ?? '') && process.listenerCount('warning') <= 1) {
    process.on('warning', (warning: Error & {detail?: string}) => {
      console.error(warning.stack);
      if (warning.detail) console.error(warning.detail);
    });
  }
  const [{CommandSession, jsonRequested, writeJson}, run] = await Promise.all([import('./session.js'), commands[id]()]);
  const session = new CommandSession(rest, jsonRequested(rest), version);
  let result: unknown;
  try {
    result = await run(session, parsed.args as never, parsed.flags as never);
  } catch (error) {
    session.fail(error);
  } finally {
    await session.end();
  }
  if (result && session.jsonEnabled()) writeJson(result);
  return true;
}
