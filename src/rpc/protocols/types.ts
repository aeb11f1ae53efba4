import type {JsonValue} from '@bufbuild/protobuf';
import {GRPC_PROTOCOLS} from '../protocol.js';
import type {ResolvedTarget} from '../target.js';
import type {TransportOptions} from '../transports.js';

/** The HTTP-based protocols `dial call` speaks besides gRPC (registry metadata `protocol`). */
export const HTTP_PROTOCOLS = ['rest', 'json-rpc', 'xml-rpc', 'soap'] as const;
export type HttpProtocolName = (typeof HTTP_PROTOCOLS)[number];

/** Protocol names `dial call --protocol` accepts: the gRPC family, then the HTTP-based ones. */
export const CALL_PROTOCOLS = [...GRPC_PROTOCOLS, ...HTTP_PROTOCOLS] as const;

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** True when `method` is an HTTP method (any case): `dial call svc GET /path` is a REST call. */
export function isHttpMethod(method: string): boolean {
  return (HTTP_METHODS as readonly string[]).includes(method.toUpperCase());
}

export function isHttpProtocol(name: string | undefined): name is HttpProtocolName {
  return (HTTP_PROTOCOLS as readonly string[]).includes(name ?? '');
}

/** What `dial call` passes to an HTTP-based protocol besides target, method and data. */
export interface HttpCallOptions {
  /** REST: the request path (may hold a query string). */
  path?: string;
  /** REST: extra query parameters (--query k=v). */
  query?: [string, string][];
  /** REST body codec: json (default) or msgpack; from --codec or the instance's metadata. */
  codec?: string;
  /** SOAP: WSDL file or URL (default: the instance's metadata `wsdl`, a path on the instance, else /?wsdl). */
  wsdl?: string;
  /** SOAP: force a version instead of the WSDL binding's. */
  soapVersion?: '1.1' | '1.2';
  /** False when the user gave no -d (REST sends no body, JSON-RPC and XML-RPC send no params). */
  hasData?: boolean;
}

/** One call in an HTTP-based protocol, to an already resolved target. */
export interface ProtocolRequest extends HttpCallOptions {
  target: ResolvedTarget;
  /** REST: the HTTP method; JSON-RPC and XML-RPC: the method name; SOAP: the operation. */
  method: string;
  /** Request values from -d (one, or several for a JSON-RPC batch). */
  messages: unknown[];
  headers: [string, string][];
  timeoutMs?: number;
  transport?: TransportOptions;
  signal?: AbortSignal;
}

/** The outcome of an HTTP-based call: the same shape as a gRPC CallOutcome, plus the HTTP exchange. */
export interface ProtocolOutcome {
  target: string;
  via?: ResolvedTarget['via'];
  method: string;
  kind: 'unary' | 'batch';
  protocol: HttpProtocolName;
  /** Body codec (json, msgpack, xml). */
  codec: string;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  /** The response value(s) as JSON: the body, the JSON-RPC result(s), the XML-RPC value, the SOAP body. */
  messages: JsonValue[];
  trailers: Record<string, string>;
  /** gRPC status the outcome maps to (exit code 64+N when not 0); details hold the error object or fault. */
  status: {code: number; name: string; message: string; details?: unknown[]};
  http: {method: string; url: string; status: number; statusText: string};
  timing: {resolveMs: number; schemaMs: number; firstMessageMs?: number; totalMs: number};
}

/** One protocol: a file in src/rpc/protocols/ exporting a client with this shape. */
export interface ProtocolClient {
  name: HttpProtocolName;
  call(req: ProtocolRequest): Promise<ProtocolOutcome>;
}
