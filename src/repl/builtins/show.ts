import {usageError} from '../../errors/index.js';
import type {ReplContext} from '../context.js';
import {describeSymbol, findSymbol, symbolsOf} from '../describe.js';
import {runCommand} from '../dispatch.js';
import {prepareArgv} from '../prepare.js';
import {messagesOf, methodsOf, servicesOf, type TargetSchema} from '../schema-cache.js';
import {failWith, ok, type Builtin} from './types.js';

const KIND: Record<string, string> = {
  unary: 'unary', server_streaming: 'server stream', client_streaming: 'client stream', bidi_streaming: 'bidi stream',
};

/** The current target's schema, or an error that says how to set one. */
async function currentSchema(ctx: ReplContext): Promise<TargetSchema> {
  const t = ctx.session.target;
  if (!t) throw usageError('no target', "set one with 'use SERVICE' or 'use HOST:PORT'");
  return ctx.schemas.get(t.name, ctx.step.signal);
}

const WHAT = ['services', 'methods', 'messages', 'headers'];

export const show: Builtin = {
  name: 'show',
  usage: `show ${WHAT.join('|')}`,
  summary: "List the target's gRPC services, methods or message types (the registry's services with no target), or the session headers",
  async run(ctx, [what]) {
    const {out, session} = ctx;
    try {
      if (what === 'headers') {
        if (session.headers.size === 0) out.note("no session headers; add one with 'header NAME=VALUE'");
        for (const [k, v] of session.headers) out.line(`${k}: ${v}`);
        return ok;
      }
      if (what === 'services' && !session.target) {
        const services = ctx.catalog.find(['services']);
        if (services) return {code: await runCommand(ctx.config, services.command, [], out)};
      }
      if (!WHAT.includes(what)) throw usageError(`show what? '${what ?? ''}' is not one of ${WHAT.join(', ')}`, `e.g. 'show methods'`);
      const schema = await currentSchema(ctx);
      const c = out.color;
      if (what === 'services') {
        out.line(out.table(['SERVICE', 'METHODS'], servicesOf(schema).map((s) => [s.typeName === session.target?.service ? c.bold(`${s.typeName} *`) : s.typeName, s.methods.length])));
      } else if (what === 'methods') {
        const methods = methodsOf(schema, session.target?.service);
        out.line(out.table(['METHOD', 'KIND', 'REQUEST', 'RESPONSE'], methods.map((m) => [`${m.parent.typeName}/${m.name}`, KIND[m.methodKind], m.input.typeName, m.output.typeName])));
      } else {
        out.line(out.table(['MESSAGE', 'FIELDS'], messagesOf(schema).map((m) => [m.typeName, m.fields.map((f) => f.name).join(', ') || '-'])));
      }
      return ok;
    } catch (err) {
      return failWith(ctx, err);
    }
  },
  complete: async (_ctx, args) => (args.length === 0 ? WHAT : []),
};

export const desc: Builtin = {
  name: 'desc',
  usage: 'desc SYMBOL',
  summary: 'Describe a service, method, message or enum of the target in .proto syntax (the describe command, on the target)',
  async run(ctx, [symbol]) {
    try {
      if (!symbol) throw usageError('desc needs a symbol', "e.g. 'desc helloworld.HelloRequest'; 'show messages' lists them");
      if (!ctx.session.target) throw usageError('no target', "set one with 'use SERVICE' or 'use HOST:PORT'");
      const describe = ctx.catalog.find(['describe']);
      if (describe) {
        const {argv} = await prepareArgv(ctx, describe.command, [symbol]);
        return {code: await runCommand(ctx.config, describe.command, argv, ctx.out)};
      }
      const schema = await currentSchema(ctx);
      ctx.out.line(describeSymbol(findSymbol(schema, symbol, ctx.session.target.service)));
      return ok;
    } catch (err) {
      return failWith(ctx, err);
    }
  },
  async complete(ctx, args) {
    const t = ctx.session.target;
    if (args.length > 0 || !t) return [];
    const schema = await ctx.schemas.peek(t.name, 1500);
    return schema ? symbolsOf(schema) : [];
  },
};
