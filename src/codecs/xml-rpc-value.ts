import {TextDecoder} from 'node:util';
import {XMLParser, XMLValidator} from 'fast-xml-parser';
import {DialError, ExitCode} from '../errors/index.js';
import {setJsonKey} from './json-value.js';
import type {JsonValue} from './types.js';

/**
 * XML-RPC values <-> JSON. Plain JSON maps directly (object = struct, array =
 * array, string, boolean, integer in 32 bits = int, other number = double,
 * null = <nil/>); the types JSON lacks are tagged objects with one key:
 * {"$dateTime.iso8601": "19980717T14:08:55"}, {"$base64": "aGk="},
 * {"$i8": "9007199254740993"}, {"$double": 1}. Decoding gives the same tags,
 * so a value survives a round trip unchanged.
 */
export const TAGS = ['$dateTime.iso8601', '$base64', '$i8', '$double', '$int'] as const;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function bad(message: string, hint = 'see the XML-RPC section of the README for the JSON mapping'): DialError {
  return new DialError('BAD_XMLRPC_VALUE', message, {hint, exitCode: ExitCode.Usage});
}

function tagged(v: Record<string, unknown>, path: string): string | undefined {
  const keys = Object.keys(v);
  if (keys.length !== 1 || !(TAGS as readonly string[]).includes(keys[0])) return undefined;
  const [tag] = keys;
  const x = v[tag];
  switch (tag) {
    case '$dateTime.iso8601':
      if (typeof x !== 'string' || !/^\d{4}-?\d{2}-?\d{2}T\d{2}:?\d{2}:?\d{2}/.test(x)) throw bad(`${path}: $dateTime.iso8601 wants a string like 19980717T14:08:55, got ${JSON.stringify(x)}`);
      return `<dateTime.iso8601>${escape(x)}</dateTime.iso8601>`;
    case '$base64':
      if (typeof x !== 'string' || !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(x)) throw bad(`${path}: $base64 wants a base64 string`);
      return `<base64>${x}</base64>`;
    case '$i8':
      if (!/^-?\d+$/.test(String(x)) || BigInt(String(x)) > 2n ** 63n - 1n || BigInt(String(x)) < -(2n ** 63n)) throw bad(`${path}: $i8 wants a 64-bit integer (string or number)`);
      return `<i8>${String(x)}</i8>`;
    case '$int':
      if (!Number.isInteger(x) || (x as number) > 2 ** 31 - 1 || (x as number) < -(2 ** 31)) throw bad(`${path}: $int wants a 32-bit integer`);
      return `<int>${String(x)}</int>`;
    default:
      if (typeof x !== 'number' || !Number.isFinite(x)) throw bad(`${path}: $double wants a finite number`);
      return `<double>${String(x)}</double>`;
  }
}

/** One JSON value as an XML-RPC <value> element. */
export function valueToXml(v: unknown, path = '$'): string {
  if (v === null || v === undefined) return '<value><nil/></value>';
  switch (typeof v) {
    case 'string':
      if (NOT_XML.test(v)) throw bad(`${path}: the string holds a control character XML cannot carry`, 'send such data as {"$base64": ...}');
      return `<value><string>${escape(v)}</string></value>`;
    case 'boolean':
      return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
    case 'number':
      if (!Number.isFinite(v)) throw bad(`${path}: ${v} is not a number XML-RPC can carry`);
      if (Number.isInteger(v) && v <= 2 ** 31 - 1 && v >= -(2 ** 31)) return `<value><int>${v}</int></value>`;
      return `<value><double>${v}</double></value>`;
    case 'bigint':
      return `<value><i8>${v}</i8></value>`;
    case 'object':
      break;
    default:
      throw bad(`${path}: a ${typeof v} has no XML-RPC form`);
  }
  if (Array.isArray(v)) return `<value><array><data>${v.map((x, i) => valueToXml(x, `${path}[${i}]`)).join('')}</data></array></value>`;
  if (v instanceof Uint8Array) return `<value><base64>${Buffer.from(v).toString('base64')}</base64></value>`;
  const obj = v as Record<string, unknown>;
  const t = tagged(obj, path);
  if (t) return `<value>${t}</value>`;
  const members = Object.entries(obj).map(([k, x]) => `<member><name>${escape(k)}</name>${valueToXml(x, `${path}.${k}`)}</member>`);
  return `<value><struct>${members.join('')}</struct></value>`;
}

export function methodCallXml(method: string, params: unknown[]): string {
  if (!/^[A-Za-z0-9_.:/]+$/.test(method)) throw bad(`'${method}' is not an XML-RPC method name`, 'method names hold letters, digits, _ . : /');
  return `<?xml version="1.0" encoding="UTF-8"?><methodCall><methodName>${method}</methodName><params>${params.map((p, i) => `<param>${valueToXml(p, `params[${i}]`)}</param>`).join('')}</params></methodCall>`;
}

export function methodResponseXml(value: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?><methodResponse><params><param>${valueToXml(value)}</param></params></methodResponse>`;
}

export function faultXml(faultCode: number, faultString: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><methodResponse><fault>${valueToXml({faultCode, faultString})}</fault></methodResponse>`;
}

// ---- parsing -----------------------------------------------------------

type Node = Record<string, unknown>;

// htmlEntities: character references (&#233; &#xE9;) too, not only the five XML entities.
const parser = new XMLParser({preserveOrder: true, ignoreAttributes: true, parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: true, ignoreDeclaration: true, ignorePiTags: true});

const tagOf = (n: Node) => Object.keys(n).find((k) => k !== ':@')!;
const childrenOf = (n: Node) => (n[tagOf(n)] as Node[]) ?? [];
const elements = (nodes: Node[]) => nodes.filter((n) => tagOf(n) !== '#text' && tagOf(n) !== '#comment');
const textOf = (nodes: Node[]) => nodes.filter((n) => tagOf(n) === '#text').map((n) => String(n['#text'])).join('');

function malformed(what: string): DialError {
  return new DialError('BAD_XMLRPC', `malformed XML-RPC: ${what}`, {hint: 'the peer did not send a valid XML-RPC document', exitCode: ExitCode.Failed});
}

function child(n: Node, name: string): Node {
  const c = elements(childrenOf(n)).find((e) => tagOf(e) === name);
  if (!c) throw malformed(`<${tagOf(n)}> has no <${name}>`);
  return c;
}

function intValue(text: string, type: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw malformed(`<${type}>${text}</${type}> is not an integer`);
  return Number(t);
}

/** A parsed <value> element as JSON (the tagged forms for dateTime, base64, large i8). */
export function xmlToValue(valueNode: Node): JsonValue {
  const kids = elements(childrenOf(valueNode));
  if (kids.length === 0) return textOf(childrenOf(valueNode));
  const typed = kids[0];
  const type = tagOf(typed);
  const text = textOf(childrenOf(typed));
  switch (type) {
    case 'string':
      return text;
    case 'int':
    case 'i4':
      return intValue(text, type);
    case 'i8': {
      const t = text.trim();
      intValue(t, type);
      return Number.isSafeInteger(Number(t)) ? Number(t) : {'$i8': t.replace(/^\+/, '')};
    }
    case 'boolean':
      if (text.trim() !== '0' && text.trim() !== '1') throw malformed(`<boolean>${text}</boolean> is not 0 or 1`);
      return text.trim() === '1';
    case 'double': {
      const d = Number(text.trim());
      if (text.trim() === '' || Number.isNaN(d)) throw malformed(`<double>${text}</double> is not a number`);
      return d;
    }
    case 'dateTime.iso8601':
      return {'$dateTime.iso8601': text.trim()};
    case 'base64':
      return {'$base64': text.replace(/\s+/g, '')};
    case 'nil':
      return null;
    case 'array':
      return elements(childrenOf(child(typed, 'data'))).map((v) => {
        if (tagOf(v) !== 'value') throw malformed(`<data> holds <${tagOf(v)}>`);
        return xmlToValue(v);
      });
    case 'struct': {
      const out: Record<string, JsonValue> = {};
      for (const m of elements(childrenOf(typed))) {
        if (tagOf(m) !== 'member') throw malformed(`<struct> holds <${tagOf(m)}>`);
        setJsonKey(out, textOf(childrenOf(child(m, 'name'))), xmlToValue(child(m, 'value')));
      }
      return out;
    }
    default:
      throw malformed(`unknown value type <${type}>`);
  }
}

export type XmlRpcDocument =
  | {kind: 'call'; methodName: string; params: JsonValue[]}
  | {kind: 'response'; value: JsonValue}
  | {kind: 'fault'; faultCode: number; faultString: string; fault: JsonValue}
  | {kind: 'value'; value: JsonValue};

function params(n: Node): JsonValue[] {
  const p = elements(childrenOf(n)).find((e) => tagOf(e) === 'params');
  if (!p) return [];
  return elements(childrenOf(p)).map((param) => xmlToValue(child(param, 'value')));
}

/**
 * The text of an XML document's bytes: UTF-8 unless a byte order mark or the
 * XML declaration says otherwise (encoding="ISO-8859-1" and the like, as
 * older servers send).
 */
export function decodeXmlBytes(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  const declared = /^(?:\uFEFF)?\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/.exec(b.subarray(0, 512).toString('latin1'))?.[1];
  if (!declared || /^utf-?8$/i.test(declared)) return b.toString('utf8');
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(declared);
  } catch {
    throw malformed(`the document says encoding="${declared}", which dial cannot decode`);
  }
  return decoder.decode(b);
}

/** The validator's complaint in words: a truncated document is reported as the tags left open. */
function validationError(err: {msg: string; line: number; col: number}): DialError {
  const open = /^Invalid '(\[[\s\S]*\])' found\.$/.exec(err.msg);
  if (open) {
    try {
      const tags = JSON.parse(open[1]) as string[];
      return malformed(`the document ends inside ${tags.map((t) => `<${t}>`).join(' ')} (those tags are never closed)`);
    } catch {
      // not the list it looked like: the message as it is
    }
  }
  return malformed(`${err.msg} (line ${err.line}, column ${err.col})`);
}

/** Parses a methodCall, a methodResponse (params or fault), or a bare <value>. */
export function parseXmlRpc(input: string): XmlRpcDocument {
  // Leading whitespace before the declaration is not XML, but servers that print a stray newline are common.
  const text = input.replace(/^\uFEFF?\s+(?=<\?xml)/, '');
  if (/<!DOCTYPE/i.test(text)) throw malformed('a DOCTYPE is not allowed in XML-RPC');
  // The parser itself accepts unclosed and mismatched tags; a truncated document must not pass for an empty one.
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw validationError(valid.err);
  let nodes: Node[];
  try {
    nodes = parser.parse(text) as Node[];
  } catch (e) {
    throw malformed((e as Error).message);
  }
  const root = elements(nodes)[0];
  if (!root) throw malformed('no root element');
  switch (tagOf(root)) {
    case 'methodCall':
      return {kind: 'call', methodName: textOf(childrenOf(child(root, 'methodName'))).trim(), params: params(root)};
    case 'methodResponse': {
      const fault = elements(childrenOf(root)).find((e) => tagOf(e) === 'fault');
      if (fault) {
        const value = xmlToValue(child(fault, 'value'));
        const f = (value ?? {}) as {faultCode?: unknown; faultString?: unknown};
        return {kind: 'fault', faultCode: typeof f.faultCode === 'number' ? f.faultCode : 0, faultString: String(f.faultString ?? ''), fault: value};
      }
      if (!elements(childrenOf(root)).some((e) => tagOf(e) === 'params')) throw malformed('<methodResponse> has neither <params> nor <fault>');
      const ps = params(root);
      return {kind: 'response', value: ps.length === 1 ? ps[0] : ps};
    }
    case 'value':
      return {kind: 'value', value: xmlToValue(root)};
    default:
      throw malformed(`root element <${tagOf(root)}> is not methodCall, methodResponse or value`);
  }
}
