import {toDialError} from '../../cli/parse-errors.js';
import {usageError} from '../../errors/index.js';
import {isAddress} from '../../rpc/target.js';
import {didYouMean} from '../../util/index.js';
import type {TargetSchema} from '../schema-cache.js';
import type {SessionTarget} from '../session.js';
import {failWith, ok, type Builtin} from './types.js';

/** A gRPC service of the schema named fully or by its short name. */
function grpcService(schema: TargetSchema | undefined, name: string): string | undefined {
  const matches = schema?.services.filter((s) => s === name || s.endsWith(`.${name}`)) ?? [];
  return matches.length === 1 ? matches[0] : matches.find((s) => s === name);
}

/** Errors after which there is no target to use at all (as opposed to a target without a schema). */
const FATAL = new Set(['SERVICE_NOT_FOUND', 'USAGE', 'CLUSTER_NOT_RUNNING', 'CLUSTER_FILE_CORRUPT']);

export const use: Builtin = {
  name: 'use',
  usage: 'use SERVICE|HOST:PORT|URL [GRPC_SERVICE]  |  use GRPC_SERVICE  |  use -',
  summary: 'Set the target commands use when none is typed, and the gRPC service for bare method names; `use -` clears it',
  async run(ctx, [what, grpc]) {
    const {session, out} = ctx;
    const current = session.target;
    if (!what) {
      out.line(current ? `target ${current.name}${current.hostPort ? ` (${current.hostPort})` : ''}${current.service ? `, service ${current.service}` : ''}` : 'no target');
      return ok;
    }
    if (what === '-') {
      session.target = undefined;
      return ok;
    }
    if (current && !grpc && !isAddress(what) && !ctx.names.names.includes(what)) {
      const service = grpcService(await ctx.schemas.peek(current.name, 5000), what);
      if (service) {
        current.service = service;
        return ok;
      }
    }
    if (!isAddress(what) && !/^[A-Za-z0-9._-]+$/.test(what)) {
      return failWith(ctx, usageError(`'${what}' is neither HOST:PORT, a URL nor a service name`, "e.g. 'use greeter', 'use 127.0.0.1:50051' or 'use https://api.example'"));
    }
    let schema: TargetSchema | undefined;
    try {
      schema = await ctx.schemas.get(what, ctx.step.signal);
    } catch (err) {
      const e = toDialError(err);
      if (FATAL.has(e.code) || ctx.step.signal.aborted) return failWith(ctx, e);
      out.note(out.errColor.yellow(`note: no schema from ${what} (${e.message}); commands still go there, but methods are not completed`));
    }
    const target: SessionTarget = {name: what, hostPort: schema?.hostPort};
    if (schema && grpc) {
      target.service = grpcService(schema, grpc);
      if (!target.service) {
        return failWith(ctx, usageError(`${what} serves no gRPC service '${grpc}'${didYouMean(grpc, schema.services)}`, `it serves: ${schema.services.join(', ')}`));
      }
    } else if (schema) {
      const app = schema.services.filter((s) => !s.startsWith('grpc.health.'));
      if (app.length === 1) target.service = app[0];
      else if (app.length > 1) out.note(`${what} serves ${app.join(', ')}: pick one with 'use ${what} SERVICE' for bare method names`);
    }
    session.target = target;
    return ok;
  },
  async complete(ctx, args) {
    if (args.length === 0) {
      const current = ctx.session.target && (await ctx.schemas.peek(ctx.session.target.name, 1500));
      return [...ctx.names.names, ...(current?.services ?? []), '-'];
    }
    if (args.length === 1) return (await ctx.schemas.peek(args[0], 1500))?.services ?? [];
    return [];
  },
};
