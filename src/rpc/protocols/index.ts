export {CALL_PROTOCOLS, HTTP_PROTOCOLS, isHttpProtocol, type HttpProtocolName, type HttpCallOptions, type ProtocolClient, type ProtocolOutcome, type ProtocolRequest} from './types.js';
export {callHttpProtocol, httpProtocolFor, type HttpProtocolCall} from './dispatch.js';
export {isHttpMethod, HTTP_METHODS} from './types.js';
// soap.ts, soap-describe.ts and wsdl.ts load node-soap and an XML parser: import them where needed, not from here.
export type {SoapDescription} from './soap-describe.js';
