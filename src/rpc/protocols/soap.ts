import {Agent as HttpsAgent} from 'node:https';
import {STATUS_CODES} from 'node:http';
import type {JsonValue} from '@bufbuild/protobuf';
import {Client, WSDL} from 'soap';
import {toJsonValue} from '../../codecs/json-value.js';
import {DialError, ExitCode, grpcStatusForRestStatus} from '../../errors/index.js';
import {connectionError} from '../transport-errors.js';
import {finish, originOf, setStatus, startOutcome} from './http-exchange.js';
import type {ProtocolClient, ProtocolOutcome, ProtocolRequest} from './types.js';
import {findOperation, loadWsdlText, summarizeWsdl, type SoapVersion, type WsdlPort, type WsdlSummary} from './wsdl.js';
import {joinedHeaders} from '../metadata.js';

/** Where the WSDL of a call comes from: --wsdl, the instance's metadata (made absolute by the dispatch), else PATH?wsdl (the target's path, or /). */
export function wsdlSource(req: ProtocolRequest): string {
  return req.wsdl ?? `${originOf(req)}${(req.target.path ?? '/').split('?')[0]}?wsdl`;
}

export async function loadWsdl(req: ProtocolRequest): Promise<{text: string; summary: WsdlSummary; source: string}> {
  const source = wsdlSource(req);
  const text = await loadWsdlText(source, req.transport?.tls, req.signal);
  return {text, summary: summarizeWsdl(text, source), source};
}

/** node-soap's WSDL model, built from text we already have (no second fetch, no cache shared between calls). */
export async function soapModel(text: string, source: string, version?: SoapVersion): Promise<WSDL> {
  const wsdl = new WSDL(text, source, {forceSoap12Headers: version === '1.2'});
  await new Promise<void>((resolve, reject) => wsdl.onReady((err?: Error) => (err ? reject(new DialError('BAD_WSDL', `${source}: ${err.message}`, {exitCode: ExitCode.Failed})) : resolve())));
  return wsdl;
}

function locationPath(port: WsdlPort): string | undefined {
  try {
    return new URL(port.location ?? '', 'http://placeholder').pathname;
  } catch {
    return undefined;
  }
}

/** With an endpoint path (a URL target's, or the instance's metadata `path`): only the ports at that path, when the WSDL has any. */
function portsAt(summary: WsdlSummary, path: string | undefined): WsdlSummary {
  const at = path?.split('?')[0];
  const ports = at ? summary.ports.filter((p) => locationPath(p) === at) : [];
  return ports.length ? {...summary, ports} : summary;
}

/** The port's address, moved to the target (a registry instance or HOST:PORT) keeping its path; a target's own path wins. */
function endpointOf(req: ProtocolRequest, port: WsdlPort): string {
  if (req.target.path) return originOf(req) + req.target.path;
  let path = '/';
  try {
    const u = new URL(port.location ?? '/', 'http://placeholder');
    path = u.pathname + u.search;
  } catch {
    // a location that is not a URL: post to /
  }
  return originOf(req) + path;
}

const text = (v: unknown): string => (typeof v === 'object' && v !== null ? String((v as {$value?: unknown}).$value ?? JSON.stringify(v)) : String(v ?? ''));

/** A SOAP fault (1.1 faultcode/faultstring or 1.2 Code/Reason) -> gRPC status. */
function faultStatus(fault: Record<string, unknown>): {code: number; message: string} {
  const faultcode = text(fault.faultcode ?? (fault.Code as {Value?: unknown} | undefined)?.Value);
  const reason = text(fault.faultstring ?? (fault.Reason as {Text?: unknown} | undefined)?.Text);
  const kind = faultcode.slice(faultcode.indexOf(':') + 1).split('.')[0];
  const code = ['Client', 'Sender', 'VersionMismatch', 'MustUnderstand', 'DataEncodingUnknown'].includes(kind) ? 3 : ['Server', 'Receiver'].includes(kind) ? 13 : 2;
  return {code, message: `SOAP fault ${faultcode}: ${reason}`};
}

type SoapMethod = (args: unknown, cb: (err: unknown, result: unknown, raw: string) => void, options: object, headers: Record<string, string>) => void;

interface SoapError {
  response?: {status?: number; headers?: Record<string, string>; data?: unknown};
  root?: {Envelope?: {Body?: {Fault?: Record<string, unknown>}}};
  code?: string;
  message?: string;
}

function recordHttp(outcome: ProtocolOutcome, client: Client, status: number): void {
  outcome.requestHeaders = {...(client.lastRequestHeaders as Record<string, string> | undefined)};
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((client.lastResponseHeaders ?? {}) as Record<string, unknown>)) if (v !== undefined) headers[k.toLowerCase()] = String(v);
  outcome.responseHeaders = headers;
  outcome.http.status = status;
  outcome.http.statusText = STATUS_CODES[status] ?? '';
}

/**
 * SOAP 1.1 and 1.2 with a WSDL (node-soap builds the envelope from the JSON
 * in -d and parses the response body into JSON). The port and its SOAP
 * version come from the WSDL (METHOD may name Port.Op), or --soap-version;
 * the request goes to the port's path on the resolved target. Faults map to
 * gRPC statuses: Client/Sender INVALID_ARGUMENT, Server/Receiver INTERNAL.
 */
export const soapClient: ProtocolClient = {
  name: 'soap',
  async call(req) {
    const started = performance.now();
    const {text: wsdlText, summary, source} = await loadWsdl(req);
    const {port, operation} = findOperation(req.soapVersion ? summary : portsAt(summary, req.target.path), req.method, req.soapVersion);
    const version = port.soapVersion!;
    const endpoint = endpointOf(req, port);
    const wsdl = await soapModel(wsdlText, source, version);
    const outcome = startOutcome(req, 'soap', 'xml', `${port.service}.${port.name}.${operation}`, 'POST', endpoint);
    outcome.timing.schemaMs = performance.now() - started;
    if (req.hasData && (req.messages.length !== 1 || typeof req.messages[0] !== 'object' || Array.isArray(req.messages[0]))) {
      throw new DialError('BAD_REQUEST_DATA', 'a SOAP call takes one JSON object: the operation input, e.g. {"name":"ada"}', {hint: `see 'dial describe' of the WSDL for the input of ${operation}`, exitCode: ExitCode.Usage});
    }
    const client = new Client(wsdl, endpoint, {forceSoap12Headers: version === '1.2'});
    const method = ((client as unknown as Record<string, Record<string, Record<string, SoapMethod>>>)[port.service][port.name][operation]).bind(client);
    const tls = req.transport?.tls;
    const options = {
      timeout: req.timeoutMs,
      ...(tls ? {httpsAgent: new HttpsAgent({ca: tls.ca, cert: tls.cert, key: tls.key, servername: tls.servername, rejectUnauthorized: !tls.insecure})} : {}),
      ...(req.signal ? {signal: req.signal} : {}),
    };
    const headers = {'user-agent': req.transport?.userAgent ?? 'dial', ...joinedHeaders(req.headers)};
    try {
      const result = await new Promise<unknown>((resolve, reject) => method(req.hasData ? req.messages[0] : {}, (err, res) => (err ? reject(err) : resolve(res)), options, headers));
      outcome.timing.firstMessageMs = performance.now() - started;
      recordHttp(outcome, client, 200);
      outcome.messages.push((toJsonValue(result) ?? null) as JsonValue);
    } catch (e) {
      const err = e as SoapError;
      if (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' || /timeout of \d+ms exceeded/.test(err.message ?? '')) {
        setStatus(outcome, 4, `no complete response within ${req.timeoutMs}ms (--max-time)`);
        return finish(outcome, started);
      }
      if (!err.response) throw connectionError(e, req.target) ?? e;
      const status = err.response.status ?? 0;
      recordHttp(outcome, client, status);
      const fault = err.root?.Envelope?.Body?.Fault;
      if (fault && (status === 500 || status === 200 || status === 400)) {
        const {code, message} = faultStatus(fault);
        setStatus(outcome, code, message, [toJsonValue(fault)]);
      } else {
        const body = typeof err.response.data === 'string' ? err.response.data.slice(0, 2000) : undefined;
        setStatus(outcome, grpcStatusForRestStatus(status) || 13, `HTTP ${status} ${outcome.http.statusText}${fault ? `: ${faultStatus(fault).message}` : ''}`, fault ? [toJsonValue(fault)] : body ? [body] : undefined);
      }
    }
    return finish(outcome, started);
  },
};
