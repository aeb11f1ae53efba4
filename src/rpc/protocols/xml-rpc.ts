import {grpcStatusForRestStatus} from '../../errors/index.js';
import {decodeXmlBytes, methodCallXml, parseXmlRpc} from '../../codecs/xml-rpc-value.js';
import {exchange, finish, originOf, setStatus, startOutcome} from './http-exchange.js';
import {grpcStatusForRpcErrorCode} from './rpc-error-codes.js';
import type {ProtocolClient, ProtocolRequest} from './types.js';

/**
 * XML-RPC over HTTP POST (text/xml). `-d` holds the params: a JSON array is
 * the param list, any other value is one param; no -d sends none. Types JSON
 * lacks are tagged objects ({"$dateTime.iso8601": ...}, {"$base64": ...},
 * {"$i8": ...}, {"$double": ...}); the response value comes back the same
 * way. A fault maps to a gRPC status by its faultCode (-32601
 * UNIMPLEMENTED, ..., else UNKNOWN), with the fault in the status details.
 */
export const xmlRpcClient: ProtocolClient = {
  name: 'xml-rpc',
  async call(req: ProtocolRequest) {
    const started = performance.now();
    const url = `${originOf(req)}${req.target.path ?? '/'}`;
    const outcome = startOutcome(req, 'xml-rpc', 'xml', req.method, 'POST', url);
    const data = req.hasData ? req.messages : [];
    const params = data.length === 1 && Array.isArray(data[0]) ? (data[0] as unknown[]) : data;
    const body = methodCallXml(req.method, params);
    const res = await exchange(req, outcome, {headers: {'content-type': 'text/xml', accept: 'text/xml'}, body}, started);
    if (!res) return finish(outcome, started);
    const text = decodeXmlBytes(res.body);
    const looksXml = /^\s*(<\?xml|<methodResponse)/.test(text);
    if (res.status !== 200 || !looksXml) {
      const code = grpcStatusForRestStatus(res.status);
      setStatus(outcome, code || 13, `HTTP ${res.status} ${outcome.http.statusText}${looksXml ? '' : ': the answer is not XML-RPC'}`, text ? [text.slice(0, 2000)] : undefined);
      return finish(outcome, started);
    }
    const doc = parseXmlRpc(text);
    if (doc.kind === 'fault') {
      setStatus(outcome, grpcStatusForRpcErrorCode(doc.faultCode), `XML-RPC fault ${doc.faultCode}: ${doc.faultString}`, [doc.fault]);
    } else if (doc.kind === 'response') {
      outcome.messages.push(doc.value);
    } else {
      setStatus(outcome, 13, `the server answered a methodResponse with a ${doc.kind}`);
    }
    return finish(outcome, started);
  },
};
