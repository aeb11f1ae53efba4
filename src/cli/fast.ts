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

export const FAST_COMMANDS: Record<string, () => Promise<Runner>> = {
  call: async () => (await import('./run/call.js')).runCall,
  discover: async () => (await import('./run/discover.js')).runDiscover,
  'tls init': async () => (await import('./run/tls-init.js')).runTlsInit,
  sub: async () => (await import('./run/sub.js')).runSub,
};

/** Flags whose oclif parse function changes the value: the same change, without oclif (fast-spec.ts checks they agree). */
export const FAST_TRANSFORMS: Transforms = {
  protocol: normalizeProtocol,
};

/**
 * Runs command `id` (`call`, `tls init` ...) with `rest`, the words after
 * its id, if the fast parser accepts them, and returns false (having done
 * nothing) if oclif should run it instead.
 */
export async function runFast(id: string, rest: readonly string[], spec: FastSpec, version: string): Promise<boolean> {
  const parsed = Object.hasOwn(FAST_COMMANDS, id) ? fastParse(spec, rest, process.env, FAST_TRANSFORMS) : undefined;
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
  const [{CommandSession, jsonRequested, writeJson}, run] = await Promise.all([import('./session.js'), FAST_COMMANDS[id]()]);
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
