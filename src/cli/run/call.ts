import {rpcExitCode, usageError} from '../../errors/index.js';
import {isUrlTarget} from '../../rpc/url-target.js';
import type {LoadReport} from '../../lb/real/index.js';
import type {AnyCallOutcome} from '../../rpc/index.js';
import {isThriftSchema} from '../../rpc/thrift/names.js';
import {parseDurationFlag} from '../../util/index.js';
import {parseHeaderFlags, parseQueryFlags} from '../headers.js';
import {messagePrinter} from '../message-printer.js';
import {schemaFiles, transportOptions, type ConnectionFlagValues, type SchemaFlagValues} from '../rpc-options.js';
import {thriftIdl} from '../schema-selection.js';
import type {CommandContext} from '../session.js';
import {commandStdin} from '../stdin.js';

/** The flag values `dial call` reads (commands/call.ts defines the flags). */
export interface CallFlags extends SchemaFlagValues, ConnectionFlagValues {
  registry?: string;
  token?: string;
  data?: string;
  header?: string[];
  protocol?: string;
  http2?: boolean;
  'max-time'?: string;
  'emit-defaults'?: boolean;
  ndjson?: boolean;
  verbose?: boolean;
  query?: string[];
  codec?: string;
  wsdl?: string;
  'soap-version'?: string;
  'thrift-transport'?: string;
  'thrift-protocol'?: string;
  lb?: string;
  requests?: number;
  concurrency?: number;
  retries?: number;
}

export interface CallArgs {
  target: string;
  /** Optional when a URL target names the method (https://host/pkg.Service/Method). */
  method?: string;
  path?: string;
}

export type CallResult = (AnyCallOutcome & {traceId: string}) | LoadReport;

function thriftOptions(flags: CallFlags) {
  return {...thriftIdl(flags), transport: flags['thrift-transport'], protocol: flags['thrift-protocol']};
}

/** `dial call`: the command's logic, run by oclif (commands/call.ts) or by the fast path (src/cli/fast.ts). */
export async function runCall(ctx: CommandContext, args: CallArgs, flags: CallFlags): Promise<CallResult> {
  // NATS request-reply is its own path (src/broker/clients/nats-call.ts)
  if (/^(nats|tls):\/\//i.test(args.target)) return (await import('../../broker/clients/nats-call.js')).natsCall(ctx, args.target, flags) as unknown as CallResult;
  const timeoutMs = flags['max-time'] === undefined ? undefined : parseDurationFlag('max-time', flags['max-time']) || undefined;
  const headers = parseHeaderFlags(flags.header);
  const transport = {...transportOptions(flags, `dial/${ctx.version}`), http2: flags.http2};
  const registry = () => ctx.openRegistry({url: flags.registry, token: flags.token});
  const json = ctx.jsonEnabled();
  if (flags.lb ?? flags.requests ?? flags.concurrency ?? flags.retries) {
    if (isUrlTarget(args.target)) throw usageError(`--lb, -n, -c and --retries balance calls over a service's instances or HOST:PORT addresses, not a URL (${args.target})`, 'call the service by its registry name (its instances\' metadata `path` is used), or HOST:PORT,HOST:PORT');
    if (args.method === undefined) throw usageError('balanced calls need METHOD', `e.g. dial call ${args.target} pkg.Service/Method -n 100`);
    const [{balancedCall}, {loadRequestData}] = await Promise.all([import('../../lb/real/index.js'), import('../../rpc/request-data.js')]);
    const thrift = flags.protocol === 'thrift' || (flags.protocol === undefined && isThriftSchema(thriftIdl(flags).schema));
    const engine = thrift ? (await import('../../rpc/thrift/balanced.js')).thriftLoadEngine(thriftOptions(flags)) : undefined;
    const report = await balancedCall({target: args.target, method: args.method, messages: await loadRequestData(flags.data, commandStdin()), headers, timeoutMs, transport, engine,
      strategy: flags.lb, requests: flags.requests, concurrency: flags.concurrency, retries: flags.retries, registry, signal: ctx.signal});
    if (!json) ctx.log((await import('../render/bench.js')).renderBalancedCall(ctx.out, report));
    if (report.exitCode) process.exitCode = report.exitCode;
    return report;
  }
  const [{call}, {requestData}, {traceFromHeaders, setProcessTrace}] = await Promise.all([
    import('../../rpc/call.js'), import('../../rpc/request-data.js'), import('../../metrics/trace.js'),
  ]);
  const messages = await requestData(flags.data, commandStdin());
  const print = json ? undefined : messagePrinter(ctx.out, Boolean(flags.ndjson));
  const {trace, headers: callHeaders, invalid: badTraceparent} = traceFromHeaders(headers);
  setProcessTrace(trace);
  const outcome = await call({
    target: args.target, method: args.method, messages, headers: callHeaders, timeoutMs, emitDefaults: flags['emit-defaults'],
    protocol: flags.protocol, transport, schema: schemaFiles(flags, 'call', flags.protocol ?? (flags.wsdl ? 'soap' : undefined)), unix: flags.unix, registry, signal: ctx.signal,
    onMessage: print?.write,
    collect: json,
    http: {
      path: args.path, query: parseQueryFlags(flags.query), codec: flags.codec, hasData: flags.data !== undefined,
      wsdl: flags.wsdl, soapVersion: flags['soap-version'] as '1.1' | '1.2' | undefined,
    },
    thrift: thriftOptions(flags),
  });
  if (outcome.protocol === 'thrift' && outcome.kind === 'oneway' && !json) {
    ctx.out.note(`${ctx.out.errColor.dim('note:')}  ${outcome.method} is oneway: sent, no reply awaited`);
  }
  print?.flush();
  // 304 Not Modified is an answer, not a pointer; the other protocols report a 3xx as their error.
  const redirect = outcome.protocol === 'rest' && 'http' in outcome && outcome.http.status >= 300 && outcome.http.status < 400 && outcome.http.status !== 304 ? outcome : undefined;
  if (redirect && !flags.verbose && !json) {
    // As curl without -L: the 3xx is the answer (exit 0), but an empty body would print nothing at all.
    const location = redirect.responseHeaders.location;
    ctx.out.note(`${ctx.out.errColor.dim('note:')}  HTTP ${redirect.http.status} ${redirect.http.statusText}${location ? ` to ${location}` : ''}: dial does not follow redirects${location ? '; call that location to go on' : ''}`);
  }
  if (flags.verbose && !json) {
    const {renderCallDetails} = await import('../render/call.js');
    ctx.out.note(renderCallDetails(ctx.out, outcome, {traceId: trace.traceId, invalid: badTraceparent}));
  }
  if (outcome.status.code !== 0) {
    process.exitCode = rpcExitCode(outcome.status.code);
    if (!flags.verbose) {
      const {renderCallError} = await import('../render/call.js');
      ctx.out.note(renderCallError(ctx.out, outcome));
    }
  }
  return {...outcome, traceId: trace.traceId};
}
