import type {DescMethod} from '@bufbuild/protobuf';
import {isHostPort} from '../rpc/target.js';
import {positionalsOf, type CommandInfo} from './catalog.js';
import type {ReplContext} from './context.js';
import {wantsHelp} from './dispatch.js';
import {buildRequest, RequestCancelled} from './guided/index.js';
import {shellQuote} from './tokenize.js';

/** Commands shaped like `call TARGET METHOD -d JSON`: they get guided input. */
export function isCallLike(c: CommandInfo): boolean {
  return c.args[0]?.name === 'target' && c.args[1]?.name === 'method' && c.flags.some((f) => f.name === 'data');
}

/** Where -d/--data is in argv and its value ('-d V', '--data V', '--data=V'). */
function dataFlag(argv: string[]): {index: number; value?: string; inline: boolean} | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return undefined;
    if (a === '-d' || a === '--data') return {index: i, value: argv[i + 1], inline: false};
    if (a.startsWith('--data=')) return {index: i, value: a.slice(7), inline: true};
  }
  return undefined;
}

/**
 * Turns a dial command typed in the REPL into the argv the CLI would get:
 * the session target where the command takes a TARGET and none was typed,
 * the selected gRPC service in front of a bare method name, session metadata
 * as -H, and for call-like commands without -d the request, built with
 * guided input (read line by line for client and bidi streaming). `-d @-`
 * reads request messages line by line too. Throws RequestCancelled on Ctrl-C.
 */
export async function prepareArgv(ctx: ReplContext, command: CommandInfo, typed: string[]): Promise<string[]> {
  const argv = [...typed];
  if (wantsHelp(argv)) return argv;
  const session = ctx.session.target;
  if (command.args[0]?.name === 'target' && session) {
    const {values, indexes} = positionalsOf(command, argv);
    const first = values[0];
    const namesTarget = first !== undefined && (isHostPort(first) || first === session.name || ctx.names.names.includes(first));
    if (!namesTarget && values.length < command.args.length) argv.splice(indexes[0] ?? 0, 0, session.name);
  }
  if (isCallLike(command)) await prepareCall(ctx, command, argv);
  if (command.flags.some((f) => f.name === 'header')) {
    for (const [k, v] of ctx.session.headers) argv.push('-H', `${k}: ${v}`);
  }
  return argv;
}

async function prepareCall(ctx: ReplContext, command: CommandInfo, argv: string[]): Promise<void> {
  const {values, indexes} = positionalsOf(command, argv);
  const [target, methodText] = values;
  if (!target || !methodText) return;
  const selected = ctx.session.target;
  if (selected?.service && target === selected.name && !/[./]/.test(methodText)) {
    const schema = await ctx.schemas.peek(target, 3000);
    if (schema?.registry.getService(selected.service)?.methods.some((m) => m.name === methodText)) {
      argv[indexes[1]] = `${selected.service}/${methodText}`;
    }
  }
  const data = dataFlag(argv);
  if (data?.value === '@-') {
    const method = await findMethod(ctx, target, argv[indexes[1]]);
    const messages = await ctx.io.readMessages(method?.input.typeName ?? 'request');
    if (!messages) throw new RequestCancelled();
    const ndjson = messages.map((m) => JSON.stringify(m)).join('\n');
    if (data.inline) argv[data.index] = `--data=${ndjson}`;
    else argv[data.index + 1] = ndjson;
    return;
  }
  if (data || argv.includes('--json') || argv.includes('--no-input')) return;
  const prompter = await ctx.io.prompter();
  if (!prompter) return;
  const method = await findMethod(ctx, target, argv[indexes[1]]);
  if (!method) return;
  if (method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming') {
    const messages = await ctx.io.readMessages(method.input.typeName);
    if (!messages) throw new RequestCancelled();
    argv.push('-d', messages.map((m) => JSON.stringify(m)).join('\n'));
    return;
  }
  if (method.input.fields.length === 0) return;
  ctx.out.note(ctx.out.errColor.dim(`${method.input.typeName}: answer field by field (Ctrl-C cancels the request)`));
  const json = await buildRequest(method.input, prompter);
  argv.push('-d', JSON.stringify(json));
  // Up-arrow then repeats this very request.
  ctx.history.add(shellQuote([...command.words, ...argv]));
  ctx.out.note(ctx.out.errColor.dim(`request: ${JSON.stringify(json)}`));
  const headers = [...ctx.session.headers].flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  ctx.out.note(ctx.out.errColor.dim(`as a command: ${shellQuote(['dial', ...command.words, ...argv, ...headers])}`));
}

/** The method a call names, from the target's schema; undefined when the schema is unavailable (the command then reports why). */
async function findMethod(ctx: ReplContext, target: string, methodText: string): Promise<DescMethod | undefined> {
  try {
    const schema = await ctx.schemas.get(target, ctx.step.signal);
    const {resolveMethod} = await import('../rpc/index.js');
    return (await resolveMethod(schema.source, methodText, target)).method;
  } catch {
    return undefined;
  }
}
