import type {JsonValue} from '@bufbuild/protobuf';
import {toJsonValue} from '../../codecs/json-value.js';
import {DialError, ExitCode} from '../../errors/index.js';
import {resolveTarget, type ResolvedTarget} from '../target.js';
import {urlTransport} from '../url-target.js';
import type {HttpProtocolCall} from './dispatch.js';
import {loadWsdl, soapModel} from './soap.js';
import type {SoapVersion} from './wsdl.js';

/** `dial describe` of a SOAP service: its WSDL's services, ports and operations with input and output shapes. */
export interface SoapDescription {
  protocol: 'soap';
  wsdl: string;
  targetNamespace?: string;
  services: {
    name: string;
    ports: {
      name: string;
      binding: string;
      soapVersion?: SoapVersion;
      location?: string;
      operations: {name: string; soapAction?: string; input: JsonValue; output: JsonValue}[];
    }[];
  }[];
}

type Described = Record<string, Record<string, Record<string, {input?: unknown; output?: unknown}>>>;

/**
 * Loads the WSDL of TARGET (a soap instance from the registry, or HOST:PORT,
 * or --wsdl alone) and lists every operation; SYMBOL (an operation, or
 * Port.Op) narrows the list.
 */
export async function describeSoap(req: Omit<HttpProtocolCall, 'method' | 'messages' | 'target'> & {target?: string; symbol?: string}): Promise<SoapDescription> {
  if (!req.target && !req.http?.wsdl) {
    throw new DialError('MISSING_TARGET', 'describing a SOAP service needs a TARGET or --wsdl FILE|URL', {hint: 'e.g. dial describe greeter --protocol soap', exitCode: ExitCode.Usage});
  }
  // With --wsdl and no TARGET the WSDL alone is described; the address does not matter then.
  const target: ResolvedTarget = req.target ? await resolveTarget(req.target, req.registry, {protocols: ['soap'], signal: req.signal}) : {host: '', port: 0, hostPort: 'localhost', resolveMs: 0};
  const meta = target.candidates?.find((c) => c.id === target.via?.instance)?.meta ?? {};
  const transport = target.scheme && req.target ? urlTransport(target.scheme, req.target, req.transport) : req.transport;
  const origin = `${transport?.tls ? 'https' : 'http'}://${target.hostPort}`;
  const wsdlOption = req.http?.wsdl ?? (meta.wsdl?.startsWith('/') ? origin + meta.wsdl : meta.wsdl);
  // Without --wsdl or metadata: the target's path (a URL's, http://host/greeter or .../greeter?wsdl) with ?wsdl, else /?wsdl.
  const {text, summary, source} = await loadWsdl({target, method: '', messages: [], headers: [], wsdl: wsdlOption, transport, signal: req.signal});
  const described = (await soapModel(text, source)).describeServices() as Described;
  const wanted = req.symbol?.split(/[./]/) ?? [];
  const services = new Map<string, SoapDescription['services'][number]>();
  for (const p of summary.ports) {
    const ops = p.operations
      .filter((o) => wanted.length === 0 || (o.name === wanted.at(-1) && (wanted.length === 1 || wanted.at(-2) === p.name)))
      .map((o) => {
        const d = described[p.service]?.[p.name]?.[o.name] ?? {};
        return {...o, input: toJsonValue(d.input ?? null), output: toJsonValue(d.output ?? null)};
      });
    if (ops.length === 0 && wanted.length) continue;
    const svc = services.get(p.service) ?? {name: p.service, ports: []};
    svc.ports.push({name: p.name, binding: p.binding, ...(p.soapVersion ? {soapVersion: p.soapVersion} : {}), ...(p.location ? {location: p.location} : {}), operations: ops});
    services.set(p.service, svc);
  }
  return {protocol: 'soap', wsdl: source, ...(summary.targetNamespace ? {targetNamespace: summary.targetNamespace} : {}), services: [...services.values()]};
}
