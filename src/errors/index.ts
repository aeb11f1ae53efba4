export {DialError, isDialError, usageError, type DialErrorOptions} from './dial-error.js';
export {ExitCode, rpcExitCode} from './exit-codes.js';
export {unreachableError, findErrno, errnoReason, isNetworkError} from './from-errno.js';
export {GRPC_STATUS_NAMES, grpcStatusName, grpcStatusForHttpTransport, grpcStatusForRestStatus, rpcStatusError} from './grpc-status.js';
