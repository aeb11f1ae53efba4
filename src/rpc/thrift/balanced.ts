import {DialError, ExitCode} from '../../errors/index.js';
import {instanceWeight, type InstanceEndpoint} from '../../lb/real/endpoints.js';
import type {LoadEngine} from '../../lb/real/types.js';
import type {Registry} from '../../registry/index.js';
import {instanceProtocol} from '../protocol.js';
import {parseHostPort} from '../target.js';
import {exchange} from './channel.js';
import {argsJson, thriftStack, wantsTls, type ThriftCallOptions} from './options.js';
import {replyOutcome} from './reply.js';
import {findThriftFunction, loadThriftSchema, type ThriftFunction} from './schema.js';
import {encodeCall, type ThriftProtocolName} from './wire.js';

/** The status a failed exchange counts as in a balanced run: unreachable and closed connections are UNAVAILABLE (retried elsewhere). */
function failureStatus(e: unknown): {code: number; message: string} {
  const exit = (e as {exitCode?: number}).exitCode;
  const message = (e as Error).message ?? String(e);
  if (exit === ExitCode.Unreachable) return {code: 14, message};
  if (exit !== undefined && exit > ExitCode.RpcBase) return {code: exit - ExitCode.RpcBase, message};
  return {code: 2, message};
}

/**
 * `dial call --lb/-n/-c` for Thrift: the healthy thrift instances of a
 * service, the IDL read and the method found once, each call encoded in the
 * protocol its instance registered and sent over its transport.
 */
export function thriftLoadEngine(opts: ThriftCallOptions): LoadEngine {
  const meta = new Map<string, Record<string, string>>();
  let fn: ThriftFunction | undefined;
  let service = '';
  let messageName = '';
  let json: unknown;
  const encoded = new Map<ThriftProtocolName, Buffer>();
  return {
    async discover(registry: Registry, name: string, signal?: AbortSignal): Promise<InstanceEndpoint[]> {
      const all = await registry.discover(name, {signal});
      const thrift = all.filter((i) => instanceProtocol(i) === 'thrift');
      const healthy = thrift.filter((i) => i.status === 'passing');
      if (healthy.length === 0) {
        throw new DialError(all.length ? 'NO_HEALTHY_INSTANCE' : 'SERVICE_NOT_FOUND', `service '${name}' has no healthy Thrift instance (${thrift.length} Thrift of ${all.length} instances)`, {
          hint: `see 'dial discover ${name}' (instances register metadata protocol=thrift)`, exitCode: all.length ? ExitCode.Unreachable : ExitCode.Failed,
        });
      }
      for (const i of healthy) meta.set(i.id, i.meta);
      return healthy.map((i) => ({id: i.id, address: `${i.address.includes(':') ? `[${i.address}]` : i.address}:${i.port}`, weight: instanceWeight(i)}));
    },
    async prepare(endpoints, method, message) {
      const file = opts.schema ?? meta.get(endpoints[0]?.id)?.thrift_idl;
      if (!file) throw new DialError('USAGE', 'Thrift has no server reflection: dial needs the IDL', {hint: 'pass --schema FILE.thrift (and -I DIR for its includes)', exitCode: ExitCode.Usage});
      const schema = await loadThriftSchema(file, opts.importPaths);
      const found = findThriftFunction(schema, method);
      if (found.fn.oneway) throw new DialError('USAGE', `${found.service.name}.${found.fn.name} is oneway: a balanced run counts replies`, {hint: 'pick a function that replies', exitCode: ExitCode.Usage});
      fn = found.fn;
      service = found.service.name;
      messageName = found.ref.multiplexed ? `${service.slice(service.lastIndexOf('.') + 1)}:${fn.name}` : fn.name;
      json = argsJson(fn, [message]);
      encodeCall('binary', messageName, fn.args, json, false, 0); // a request that does not fit the IDL fails here, before any call
      return {name: `${service}${found.ref.multiplexed ? ':' : '.'}${fn.name}`};
    },
    client(endpoint, headers, transport, timeoutMs) {
      const stack = thriftStack(opts, meta.get(endpoint.id) ?? {}, endpoint.id);
      const target = {...parseHostPort(endpoint.address), resolveMs: 0};
      const message = encoded.get(stack.protocol) ?? encodeCall(stack.protocol, messageName, fn!.args, json, false, 0);
      encoded.set(stack.protocol, message);
      return {
        async call() {
          try {
            const result = await exchange({
              target, ...stack, tls: wantsTls(target, transport) ? (transport?.tls ?? {}) : undefined, authority: transport?.authority, headers, userAgent: transport?.userAgent,
              connectTimeoutMs: transport?.connectTimeoutMs, timeoutMs, message, oneway: false, result: fn!.result, info: {address: endpoint.address},
            });
            const {status} = replyOutcome(fn!, service, result);
            return {code: status.code, message: status.message};
          } catch (e) {
            return failureStatus(e);
          }
        },
        close() {},
      };
    },
  };
}
