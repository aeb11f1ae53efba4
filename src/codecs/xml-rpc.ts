import {defineCodec, type JsonValue} from './types.js';
import {methodCallXml, methodResponseXml, parseXmlRpc} from './xml-rpc-value.js';

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
        const doc = parseXmlRpc(Buffer.from(bytes).toString('utf8'));
        if (doc.kind === 'call') return {methodName: doc.methodName, params: doc.params};
        if (doc.kind === 'fault') return {$fault: doc.fault};
        return doc.value;
      },
    };
  },
});
