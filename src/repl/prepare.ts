import type {DescMethod} from '@bufbuild/protobuf';
import {schemaSelection} from '../cli/schema-flags.js';
import {isAddress} from '../rpc/target.js';
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

/** A command line ready to run. */
export interface Prepared {
  argv: string[];
  /** Set (to the request type) when the user types the request messages while the call runs. */
  liveInput?: string;
}

/**
 * Turns a dial command typed in the REPL into the argv the CLI would get:
 * the session target where the command takes a TARGET and none was typed,
 * the selected gRPC service in front of a bare method name, session metadata
 * as -H, and for call-like commands without -d the request, built with
 * guided input. Client and bidi streaming calls (and `-d @-`) take their
 * messages line by line: on a terminal while the call runs, in a script from
 * the lines that follow. Throws RequestCancelled on Ctrl-C.
 */
export async function prepareArgv(ctx: ReplContext, command: CommandInfo, typed: string[]): Promise<Prepared> {
  const argv = [...typed];
  if (wantsHelp(argv)) return {argv};
  const session = ctx.session.target;
  if (command.args[0]?.name === 'target' && session) {
    const {values, indexes} = positionalsOf(command, argv);
    const first = values[0];
    let namesTarget = first !== undefined && (isAddress(first) || first === session.name || ctx.names.names.includes(first));
    // `call greeter-grpc-2 SayHello` with a target set: an instance ID is no service name, but no method either.
    if (!namesTarget && first !== undefined && values.length >= 2 && command.args[1]?.name === 'method') namesTarget = await notAMethodOf(ctx, session.name, first);
    if (!namesTarget && values.length < command.args.length) argv.splice(indexes[0] ?? 0, 0, session.name);
  }
  const liveInput = isCallLike(command) ? await prepareCall(ctx, command, argv) : undefined;
  if (command.flags.some((f) => f.name === 'header')) {
    for (const [k, v] of ctx.session.headers) argv.push('-H', `${k}: ${v}`);
  }
  return {argv, liveInput};
}

/**
 * Whether `word` is surely not a method of the session target: true only when
 * the target's gRPC schema is known and has no such method (bare, or
 * service/method). Without a schema (a REST target: `call POST /hello`) it
 * stays a method.
 */
async function notAMethodOf(ctx: ReplContext, target: string, word: string): Promise<boolean> {
  const schema = await ctx.schemas.peek(target, 3000);
  if (!schema) return false;
  const name = word.replace(/^\//, '');
  return !schema.services.some((s) => schema.registry.getService(s)?.methods.some((m) => name === m.name || name === `${s}/${m.name}` || name === `${s}.${m.name}`));
}

/** Completes a call's argv; returns the request type when its messages are typed live. */
async function prepareCall(ctx: ReplContext, command: CommandInfo, argv: string[]): Promise<string | undefined> {
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
    const typeName = (await findMethod(ctx, target, argv[indexes[1]], argv))?.input.typeName ?? 'request';
    if (ctx.io.streamInput) return typeName;
    const messages = await ctx.io.readMessages?.(typeName);
    if (!messages) throw new RequestCancelled();
    const ndjson = messages.map((m) => JSON.stringify(m)).join('\n');
    if (data.inline) argv[data.index] = `--data=${ndjson}`;
    else argv[data.index + 1] = ndjson;
    return undefined;
  }
  if (data || !ctx.io.interactive || argv.includes('--json') || argv.includes('--no-input')) return undefined;
  const method = await findMethod(ctx, target, argv[indexes[1]], argv);
  if (!method) return undefined;
  if (method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming') {
    if (!ctx.io.streamInput) return undefined;
    argv.push('-d', '@-');
    return method.input.typeName;
  }
  const prompter = await ctx.io.prompter();
  if (!prompter || method.input.fields.length === 0) return undefined;
  ctx.out.note(ctx.out.errColor.dim(`${method.input.typeName}: answer field by field (Ctrl-C cancels the request)`));
  const json = await buildRequest(method.input, prompter);
  argv.push('-d', JSON.stringify(json));
  // Up-arrow then repeats this very request.
  ctx.history.add(shellQuote([...command.words, ...argv]));
  ctx.out.note(ctx.out.errColor.dim(`request: ${JSON.stringify(json)}`));
  const headers = [...ctx.session.headers].flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  ctx.out.note(ctx.out.errColor.dim(`as a command: ${shellQuote(['dial', ...command.words, ...argv, ...headers])}`));
  return undefined;
}

/** Every value of a flag in argv: `--name V`, `--name=V`, `-c V`. */
function valuesOf(argv: string[], name: string, char?: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === `--${name}` || (char && a === `-${char}`)) out.push(argv[++i]);
    else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  }
  return out.filter((v) => v !== undefined);
}

/**
 * The method a call names, from schema files (--schema, --proto, --protoset) when given, else the
 * target's reflection; undefined when unavailable (the command then says why).
 */
async function findMethod(ctx: ReplContext, target: string, methodText: string, argv: string[]): Promise<DescMethod | undefined> {
  try {
    const {FileSource, resolveMethod} = await import('../rpc/index.js');
    // The same schema flags as the CLI (src/cli/schema-flags.ts): --schema by extension, --proto, -I, --protoset.
    const sel = schemaSelection({schema: valuesOf(argv, 'schema'), proto: valuesOf(argv, 'proto'), 'import-path': valuesOf(argv, 'import-path', 'I'), protoset: valuesOf(argv, 'protoset')});
    const files = {protoFiles: sel.proto, importPaths: sel.importPaths, protosets: sel.protosets};
    const source = files.protoFiles.length || files.protosets.length
      ? await FileSource.load(files)
      : (await ctx.schemas.get(target, ctx.step.signal)).source;
    return (await resolveMethod(source, methodText, target)).method;
  } catch {
    return undefined;
  }
}
