// Thrift RPC: light names here; the engine (thrift, the IDL parser) loads lazily from call.js, inspect.js, processor.js.
export {THRIFT_PROTOCOLS, THRIFT_TRANSPORTS, isThriftSchema, type ThriftProtocolName, type ThriftTransportName} from './names.js';
export type {ThriftCallOptions, ThriftCallRequest, ThriftOutcome} from './call.js';
export type {ThriftDescription, ThriftListResult, ThriftMethodInfo} from './inspect.js';
export {statusForApplicationException} from './errors.js';
export {parseThriftUrl, type ThriftUrl} from './url.js';
