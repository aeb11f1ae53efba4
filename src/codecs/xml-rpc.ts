import {DialError, ExitCode} from '../errors/index.js';
import {defineCodec, type JsonValue} from './types.js';
import {decodeXmlBytes, methodCallXml, methodResponseXml, parseXmlRpc} from './xml-rpc-value.js';

/**
 * XML-RPC as a codec. Without --type the JSON value is encoded as a
 * methodResponse with one param; with --type METHOD as a methodCall whose
 * params are the JSON array (or the one value). Decoding accepts a
 * methodResponse (the value; a fault as {"$fault": {...}}), a methodCall
 * ({"methodName", "params"}) or a bare <value>.
 */
export const xmlRpcCodec = defineCodec({
  name: 'xml-rpc',
  mimeType: 'text/xml',
  description: 'XML-RPC values (methodResponse, or methodCall with --type METHOD), no schema',
  schemaExtensions: [],
  async bind(schema) {
    const method = schema?.type;
    return {
      type: method,
      encode: (json) => Buffer.from(method ? methodCallXml(method, Array.isArray(json) ? json : [json]) : methodResponseXml(json), 'utf8'),
      decode(bytes): JsonValue {
        let doc: ReturnType<typeof parseXmlRpc>;
        try {
          doc = parseXmlRpc(decodeXmlBytes(bytes));
        } catch (e) {
          // Bad input to `dial codec decode` is a usage error (exit 2), as in the other codecs.
          throw new DialError('BAD_ENCODING', `the input is not XML-RPC: ${(e as Error).message.replace(/^malformed XML-RPC: /, '')}`, {hint: 'decode takes a methodResponse, a methodCall or a <value> (check --codec)', exitCode: ExitCode.Usage});
        }
        if (doc.kind === 'call') return {methodName: doc.methodName, params: doc.params};
        if (doc.kind === 'fault') return {$fault: doc.fault};
        return doc.value;
      },
    };
  },
});
