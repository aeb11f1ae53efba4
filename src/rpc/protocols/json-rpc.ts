import type {JsonValue} from '@bufbuild/protobuf';
import {DialError, ExitCode, grpcStatusForRestStatus} from '../../errors/index.js';
import {decodeBody} from './body.js';
import {exchange, finish, originOf, setStatus, startOutcome} from './http-exchange.js';
import {grpcStatusForRpcErrorCode} from './rpc-error-codes.js';
import type {ProtocolClient, ProtocolOutcome, ProtocolRequest} from './types.js';

interface RpcError {
  code: number;
  message: string;
  data?: JsonValue;
}

interface RpcResponse {
  jsonrpc?: string;
  id?: number | string | null;
  result?: JsonValue;
  error?: RpcError;
}

function paramsOf(value: unknown, n: number): unknown[] | Record<string, unknown> {
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) return value as unknown[] | Record<string, unknown>;
  throw new DialError('BAD_REQUEST_DATA', `JSON-RPC params ${n} must be an array (by position) or an object (by name), got ${JSON.stringify(value)}`, {
    hint: `e.g. -d '["ada"]' or -d '{"name":"ada"}'`, exitCode: ExitCode.Usage,
  });
}

function isResponse(v: unknown): v is RpcResponse {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && ('result' in v || 'error' in v);
}

function errorStatus(outcome: ProtocolOutcome, errors: RpcError[], total: number): void {
  const first = errors[0];
  const code = grpcStatusForRpcErrorCode(typeof first.code === 'number' ? first.code : 0);
  const prefix = total > 1 ? `${errors.length} of ${total} calls failed; first: ` : '';
  setStatus(outcome, code, `${prefix}JSON-RPC error ${first.code}: ${first.message}`, errors);
}

/**
 * JSON-RPC 2.0 over HTTP POST. `-d` holds the params: an array (by
 * position) or an object (by name); no -d sends none. Several JSON values
 * (-d '[1] [2]' or NDJSON on stdin) make one batch request of METHOD with
 * each params; the results print in request order, failed ones as
 * {"error": {...}}. Error objects map to gRPC statuses (-32601 UNIMPLEMENTED,
 * -32602 INVALID_ARGUMENT, ...).
 */
export const jsonRpcClient: ProtocolClient = {
  name: 'json-rpc',
  async call(req: ProtocolRequest) {
    const started = performance.now();
    const url = `${originOf(req)}${req.target.path ?? '/'}`;
    const outcome = startOutcome(req, 'json-rpc', 'json', req.method, 'POST', url);
    const calls = (req.hasData ? req.messages : [undefined]).map((p, i) => ({
      jsonrpc: '2.0', id: i + 1, method: req.method, ...(p === undefined ? {} : {params: paramsOf(p, i + 1)}),
    }));
    const batch = calls.length > 1;
    outcome.kind = batch ? 'batch' : 'unary';
    const body = JSON.stringify(batch ? calls : calls[0]);
    const res = await exchange(req, outcome, {headers: {'content-type': 'application/json', accept: 'application/json'}, body}, started);
    if (!res) return finish(outcome, started);
    const value = await decodeBody(res);
    const responses: RpcResponse[] = Array.isArray(value) ? (value as unknown[]).filter(isResponse) : isResponse(value) ? [value] : [];
    if (responses.length === 0) {
      // Not a JSON-RPC answer: judge by the HTTP status.
      const code = grpcStatusForRestStatus(res.status);
      setStatus(outcome, code || 13, `HTTP ${res.status} ${outcome.http.statusText}: the answer is not a JSON-RPC response`, value === undefined ? undefined : [value]);
      return finish(outcome, started);
    }
    const byId = new Map(responses.map((r) => [r.id, r]));
    const errors: RpcError[] = [];
    for (const c of calls) {
      const r = byId.get(c.id) ?? (responses.length === 1 && !batch ? responses[0] : undefined);
      if (!r) {
        errors.push({code: -32603, message: `no response for request id ${c.id}`});
        outcome.messages.push({error: {code: -32603, message: `no response for request id ${c.id}`}});
      } else if (r.error) {
        errors.push(r.error);
        if (batch) outcome.messages.push({error: r.error as unknown as JsonValue});
      } else {
        outcome.messages.push(r.result ?? null);
      }
    }
    if (res.status > 500) {
      // An overloaded server or a proxy (503, 504): the HTTP status says more than the error object.
      setStatus(outcome, grpcStatusForRestStatus(res.status), `HTTP ${res.status} ${outcome.http.statusText}${errors[0] ? `: ${errors[0].message}` : ''}`, errors);
    } else if (errors.length) {
      errorStatus(outcome, errors, calls.length);
    }
    return finish(outcome, started);
  },
};
