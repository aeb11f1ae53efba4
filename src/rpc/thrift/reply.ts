import type {JsonValue} from '../../codecs/types.js';
import {grpcStatusForHttpTransport, grpcStatusName} from '../../errors/index.js';
import type {ExchangeResult} from './channel.js';
import {statusForApplicationException} from './errors.js';
import type {ThriftFunction} from './schema.js';

export interface ReplyStatus {
  code: number;
  name: string;
  message: string;
  details?: unknown[];
}

/**
 * What an exchange came to: the return value, or the status of a declared
 * exception (UNKNOWN, the exception with its @type in details), a
 * TApplicationException (by its type, src/rpc/thrift/errors.ts), an HTTP
 * error status, or a reply without the result a non-void function owes.
 */
export function replyOutcome(fn: ThriftFunction, service: string, result: ExchangeResult): {status: ReplyStatus; messages: JsonValue[]} {
  const ok = {code: 0, name: 'OK', message: ''};
  const reply = result.reply;
  if (result.http && result.http.status !== 200 && !(fn.oneway && result.http.status < 300)) {
    const code = grpcStatusForHttpTransport(result.http.status);
    return {status: {code, name: grpcStatusName(code), message: `HTTP ${result.http.status} ${result.http.statusText} from ${result.http.url}`}, messages: []};
  }
  if (!reply) return {status: ok, messages: []};
  if (reply.kind === 'exception') {
    const code = statusForApplicationException(reply.type);
    return {status: {code, name: grpcStatusName(code), message: `TApplicationException ${reply.typeName}: ${reply.message}`, details: [{'@type': 'TApplicationException', type: reply.typeName, message: reply.message}]}, messages: []};
  }
  const declared = fn.throws.find((x) => reply.result[x.field] !== undefined);
  if (declared) {
    return {status: {code: 2, name: 'UNKNOWN', message: `${service}.${fn.name} threw ${declared.type}`, details: [{'@type': declared.type, ...(reply.result[declared.field] as Record<string, JsonValue>)}]}, messages: []};
  }
  if (reply.result.success !== undefined) return {status: ok, messages: [reply.result.success]};
  if (fn.returns !== 'void') return {status: {code: 13, name: 'INTERNAL', message: `${service}.${fn.name} returned no result (MISSING_RESULT)`}, messages: []};
  return {status: ok, messages: []};
}
