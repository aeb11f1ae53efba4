import {readFile} from 'node:fs/promises';
import {XMLParser} from 'fast-xml-parser';
import {Agent} from 'undici';
import {request} from '../../util/http-request.js';
import {DialError, ExitCode, isNetworkError, rpcExitCode, unreachableError} from '../../errors/index.js';
import {didYouMean} from '../../util/index.js';

const SOAP11_BINDING = 'http://schemas.xmlsoap.org/wsdl/soap/';
const SOAP12_BINDING = 'http://schemas.xmlsoap.org/wsdl/soap12/';

export type SoapVersion = '1.1' | '1.2';

export interface WsdlPort {
  service: string;
  name: string;
  binding: string;
  /** undefined for a port whose binding is not SOAP (e.g. HTTP GET/POST). */
  soapVersion?: SoapVersion;
  location?: string;
  operations: {name: string; soapAction?: string}[];
}

/** What `dial call` and `dial describe` need from a WSDL: services, ports, SOAP versions, addresses, operations. */
export interface WsdlSummary {
  source: string;
  targetNamespace?: string;
  ports: WsdlPort[];
}

type Attrs = Record<string, string>;
type Node = {[tag: string]: unknown; ':@'?: Attrs};

const parser = new XMLParser({preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false});
const tagOf = (n: Node) => Object.keys(n).find((k) => k !== ':@')!;
const local = (tag: string) => tag.slice(tag.indexOf(':') + 1);
const kids = (n: Node) => ((n[tagOf(n)] as Node[]) ?? []).filter((c) => !tagOf(c).startsWith('#'));
const attrs = (n: Node): Attrs => n[':@'] ?? {};
const named = (nodes: Node[], name: string) => nodes.filter((c) => local(tagOf(c)) === name);
const unqualify = (qname: string | undefined) => (qname ?? '').slice((qname ?? '').indexOf(':') + 1);

function badWsdl(source: string, why: string): DialError {
  return new DialError('BAD_WSDL', `${source} is not a usable WSDL: ${why}`, {hint: 'pass the service WSDL with --wsdl FILE|URL', exitCode: ExitCode.Failed});
}

/** Parses WSDL 1.1 text into services, ports (SOAP 1.1 or 1.2 by the binding's namespace) and operations. */
export function summarizeWsdl(text: string, source: string): WsdlSummary {
  if (/<!DOCTYPE/i.test(text)) throw badWsdl(source, 'a DOCTYPE is not allowed');
  let nodes: Node[];
  try {
    nodes = parser.parse(text) as Node[];
  } catch (e) {
    throw badWsdl(source, (e as Error).message);
  }
  const root = nodes.find((n) => local(tagOf(n)) === 'definitions');
  if (!root) throw badWsdl(source, 'no <definitions> root element');
  const ns: Attrs = {};
  for (const [k, v] of Object.entries(attrs(root))) if (k.startsWith('xmlns:')) ns[k.slice(6)] = v;
  const nsOf = (tag: string) => (tag.includes(':') ? ns[tag.slice(0, tag.indexOf(':'))] : undefined);
  const versionOf = (tag: string): SoapVersion | undefined => (nsOf(tag) === SOAP12_BINDING ? '1.2' : nsOf(tag) === SOAP11_BINDING ? '1.1' : undefined);
  const top = kids(root);
  const bindings = new Map(named(top, 'binding').map((b) => {
    const soapBinding = kids(b).find((c) => local(tagOf(c)) === 'binding');
    const operations = named(kids(b), 'operation').map((op) => {
      const soapOp = kids(op).find((c) => local(tagOf(c)) === 'operation');
      return {name: attrs(op).name, ...(soapOp && attrs(soapOp).soapAction ? {soapAction: attrs(soapOp).soapAction} : {})};
    });
    return [attrs(b).name, {version: soapBinding ? versionOf(tagOf(soapBinding)) : undefined, operations}] as const;
  }));
  const ports: WsdlPort[] = [];
  for (const service of named(top, 'service')) {
    for (const port of named(kids(service), 'port')) {
      const bindingName = unqualify(attrs(port).binding);
      const binding = bindings.get(bindingName);
      const address = kids(port).find((c) => local(tagOf(c)) === 'address');
      ports.push({
        service: attrs(service).name, name: attrs(port).name, binding: bindingName,
        soapVersion: binding?.version, location: address ? attrs(address).location : undefined,
        operations: binding?.operations ?? [],
      });
    }
  }
  if (ports.length === 0) throw badWsdl(source, 'it defines no service port');
  return {source, targetNamespace: attrs(root).targetNamespace, ports};
}

/** Reads a WSDL from a URL (undici) or a file. */
export async function loadWsdlText(source: string, tls?: {ca?: Buffer; cert?: Buffer; key?: Buffer; insecure?: boolean}, signal?: AbortSignal): Promise<string> {
  if (!/^https?:\/\//i.test(source)) {
    try {
      return await readFile(source, 'utf8');
    } catch (e) {
      throw new DialError('BAD_WSDL', `cannot read the WSDL file '${source}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, {
        hint: 'pass --wsdl with a file that exists, or a URL', exitCode: ExitCode.Usage,
      });
    }
  }
  const dispatcher = new Agent({connect: tls ? {ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecure} : undefined});
  try {
    const res = await request(source, {dispatcher, signal: signal ?? AbortSignal.timeout(10_000)});
    const text = await res.body.text();
    if (res.statusCode !== 200) {
      throw new DialError('BAD_WSDL', `GET ${source} answered HTTP ${res.statusCode}, not a WSDL`, {hint: 'pass the WSDL with --wsdl FILE|URL', exitCode: ExitCode.Failed});
    }
    return text;
  } catch (e) {
    if (isNetworkError(e)) throw unreachableError(`the WSDL at ${source}`, e, 'check the address, or pass the WSDL with --wsdl FILE');
    throw e;
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

/**
 * The port and operation METHOD names: `Op`, `Port.Op` or `Service.Port.Op`
 * (also with /). With a SOAP version, only ports of that version; else the
 * first port (document order) that has the operation.
 */
export function findOperation(summary: WsdlSummary, method: string, version?: SoapVersion): {port: WsdlPort; operation: string} {
  const parts = method.split(/[./]/);
  const op = parts.at(-1)!;
  const [svc, portName] = parts.length >= 3 ? parts.slice(-3) : [undefined, parts.length === 2 ? parts[0] : undefined];
  const soapPorts = summary.ports.filter((p) => p.soapVersion && (!version || p.soapVersion === version));
  const candidates = soapPorts.filter((p) => (!svc || p.service === svc) && (!portName || p.name === portName));
  const port = candidates.find((p) => p.operations.some((o) => o.name === op));
  if (port) return {port, operation: op};
  const all = [...new Set(soapPorts.flatMap((p) => p.operations.map((o) => o.name)))];
  const where = version ? ` in a SOAP ${version} port` : '';
  throw new DialError('METHOD_NOT_FOUND', `no operation '${method}'${where} in ${summary.source}${didYouMean(op, all)}`, {
    hint: all.length ? `operations: ${all.join(', ')} (ports: ${soapPorts.map((p) => `${p.service}.${p.name} (SOAP ${p.soapVersion})`).join(', ')})` : 'the WSDL has no SOAP port',
    exitCode: rpcExitCode(12),
  });
}
