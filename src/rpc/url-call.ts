import {usageError} from '../errors/index.js';
import {GRPC_PROTOCOLS, isGrpcProtocol} from './protocol.js';
import {HTTP_PROTOCOLS, isHttpMethod} from './protocols/types.js';
import {isUrlTarget, parseUrlTarget, type UrlTarget} from './url-target.js';

/** What a URL target means for one call: the protocol, the method, and the path each part goes to. */
export interface UrlPlan {
  url: UrlTarget;
  protocol: string;
  method: string;
  /** The path the resolved target carries: a gRPC base path, or the JSON-RPC/XML-RPC/SOAP endpoint ('' for none). */
  targetPath: string;
  /** REST: the request path (from the URL, or the PATH argument). */
  restPath?: string;
  /** SOAP: where the WSDL comes from when --wsdl is not given (URL?wsdl). */
  wsdl?: string;
}

/** `/prefix/pkg.Service/Method`: the method part of a gRPC URL path (buf curl's form). Without `anyService`, the service needs a package. */
function grpcPath(pathname: string, anyService: boolean): {base: string; method: string} | undefined {
  const m = /^(.*?)\/((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)\/([A-Za-z_]\w*)\/?$/.exec(pathname);
  if (!m || (!anyService && !m[2].includes('.'))) return undefined;
  return {base: m[1], method: `${m[2]}/${m[3]}`};
}

/**
 * For list and describe: a URL in buf curl's form (https://host/base/pkg.Service/Method)
 * split into the base path and the method; undefined for other targets.
 */
export function grpcUrlMethod(text: string | undefined): {base: string; method: string} | undefined {
  if (!text || !isUrlTarget(text)) return undefined;
  const url = parseUrlTarget(text);
  return url.path.includes('?') ? undefined : grpcPath(url.path, false);
}

/** pkg.Service/Method, pkg.Service.Method and /pkg.Service/Method name the same method. */
function sameMethod(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/^\//, '').replace(/\.([^./]+)$/, '/$1');
  return norm(a) === norm(b) || (!a.includes('/') && !a.includes('.') && b.endsWith(`/${a}`));
}

function methodTwice(text: string, base: string, inPath: {base: string; method: string}, typed: string) {
  const method = /[./]/.test(typed) ? typed : `${inPath.method.split('/')[0]}/${typed}`;
  return usageError(`the method is given twice: ${text} names ${inPath.method}, and the argument says ${typed}`, `write it once: dial call ${base}${inPath.base}/${method.replace(/^\//, '').replace(/\.([^./]+)$/, '/$1')} (as buf curl), or dial call ${base}${inPath.base} ${method}`);
}

const ALL = [...GRPC_PROTOCOLS, ...HTTP_PROTOCOLS].join('|');

/**
 * Plans a call to a URL target. The protocol is --protocol, else REST when
 * METHOD is an HTTP method, else Connect when there is no METHOD and the path
 * ends in pkg.Service/Method (buf curl's form and default), else gRPC for a
 * URL without a path; a path with METHOD and no --protocol is ambiguous (an
 * XML-RPC endpoint? a gRPC base path?) and a usage error. A method or path
 * given both in the URL and as an argument, differently, is a usage error
 * that names the two forms.
 */
export function planUrlCall(text: string, method: string | undefined, protocol: string | undefined, restPathArg: string | undefined): UrlPlan {
  const url = parseUrlTarget(text);
  const [pathname, query] = [url.path.split('?')[0], url.path.includes('?') ? url.path.slice(url.path.indexOf('?')) : ''];
  const base = `${url.scheme}://${url.authority}`;
  const dotted = grpcPath(pathname, false);
  const chosen = protocol
    ?? (method !== undefined && isHttpMethod(method) ? 'rest'
      : dotted && (method === undefined || sameMethod(method, dotted.method)) ? 'connect'
        : method !== undefined && !url.path ? 'grpc' : undefined);
  if (chosen === undefined && method !== undefined && dotted && !sameMethod(method, dotted.method)) throw methodTwice(text, base, dotted, method);
  if (chosen === undefined) {
    if (method === undefined) {
      throw usageError(`${text} names no method`, `gRPC-Web/Connect: put pkg.Service/Method in the URL (${base}/pkg.Service/Method, as buf curl) or after it; REST: dial call ${text} GET; JSON-RPC, XML-RPC, SOAP: dial call ${text} METHOD --protocol json-rpc|xml-rpc|soap`);
    }
    throw usageError(`which protocol is ${text} for? Its path ${url.path} may be a JSON-RPC, XML-RPC or SOAP endpoint, or a gRPC base path`, `say it with --protocol ${ALL}, e.g. dial call ${text} ${method} --protocol xml-rpc`);
  }
  if (isGrpcProtocol(chosen)) {
    if (query) throw usageError(`${text}: a gRPC URL takes no query string`, `write ${base}${pathname}`);
    const inPath = grpcPath(pathname, method === undefined);
    if (method === undefined) {
      if (!inPath) throw usageError(`the path of ${text} does not end in pkg.Service/Method`, `write the method in the URL (${base}/pkg.Service/Method) or after it: dial call ${base} pkg.Service/Method`);
      return {url, protocol: chosen, method: inPath.method, targetPath: inPath.base};
    }
    if (inPath) {
      if (!sameMethod(method, inPath.method)) throw methodTwice(text, base, inPath, method);
      return {url, protocol: chosen, method: inPath.method, targetPath: inPath.base};
    }
    return {url, protocol: chosen, method, targetPath: pathname.replace(/\/$/, '')};
  }
  if (method === undefined) {
    const example = chosen === 'rest' ? `dial call ${text} GET` : `dial call ${text} METHOD --protocol ${chosen}`;
    throw usageError(`${chosen} over ${text} needs a ${chosen === 'rest' ? 'HTTP method' : chosen === 'soap' ? 'SOAP operation' : 'method name'}`, `e.g. ${example}`);
  }
  if (chosen === 'rest') {
    if (url.path && restPathArg !== undefined) {
      throw usageError(`the path is given twice: in the URL (${url.path}) and as an argument (${restPathArg})`, `write it once: dial call ${text} ${method}, or dial call ${base} ${method} ${restPathArg}`);
    }
    return {url, protocol: chosen, method, targetPath: '', restPath: restPathArg ?? (url.path || '/')};
  }
  if (restPathArg !== undefined) {
    throw usageError(`unexpected argument '${restPathArg}' after the method`, `the ${chosen} endpoint path goes in the URL: dial call ${base}${restPathArg.startsWith('/') ? restPathArg : `/${restPathArg}`} ${method} --protocol ${chosen}`);
  }
  if (chosen === 'soap') {
    // http://host/greeter?wsdl names the WSDL; http://host/greeter the endpoint, whose WSDL is at ?wsdl.
    if (/^\?wsdl$/i.test(query)) return {url, protocol: chosen, method, targetPath: pathname, wsdl: `${base}${pathname || '/'}?wsdl`};
    return {url, protocol: chosen, method, targetPath: url.path, wsdl: `${base}${pathname || '/'}?wsdl`};
  }
  return {url, protocol: chosen, method, targetPath: url.path || '/'};
}
