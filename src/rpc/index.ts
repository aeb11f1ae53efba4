export {call, type CallRequest} from './call.js';
export {grpcCall, resolveMethod, type CallOutcome, type CallKind, type GrpcCallOptions} from './grpc-call.js';
export {ReflectionSource} from './reflection-source.js';
export type {DescriptorSource} from './descriptor-source.js';
export {parseMethodRef, matchService, findMethod, type MethodRef} from './method-ref.js';
export {resolveTarget, isHostPort, parseHostPort, type ResolvedTarget, type ResolveOptions} from './target.js';
export {loadRequestData, parseJsonStream, readAll} from './request-data.js';
export {grpcTransport, type TransportOptions, type OwnedTransport} from './transports.js';
export {WELL_KNOWN_FILES} from './well-known-files.js';
