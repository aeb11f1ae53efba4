import {DialError} from './dial-error.js';
import {rpcExitCode} from './exit-codes.js';

/** gRPC status codes by number, as in grpc/status.proto. */
export const GRPC_STATUS_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
] as const;

export type GrpcStatusName = (typeof GRPC_STATUS_NAMES)[number];

export function grpcStatusName(code: number): string {
  return GRPC_STATUS_NAMES[code] ?? `STATUS_${code}`;
}

/**
 * HTTP status seen where a gRPC response was expected -> gRPC status, per
 * grpc/doc/http-grpc-status-mapping.md (e.g. a proxy answering 503).
 */
export function grpcStatusForHttpTransport(httpStatus: number): number {
  switch (httpStatus) {
    case 400: return 13;
    case 401: return 16;
    case 403: return 7;
    case 404: return 12;
    case 429: case 502: case 503: case 504: return 14;
    default: return httpStatus >= 200 && httpStatus < 300 ? 0 : 2;
  }
}

/**
 * A REST/JSON API's HTTP status -> gRPC status, per google.rpc.Code's HTTP
 * mapping (AIP-193), so REST calls exit with the same 64+N codes as gRPC.
 */
export function grpcStatusForRestStatus(httpStatus: number): number {
  if (httpStatus >= 200 && httpStatus < 400) return 0;
  switch (httpStatus) {
    case 400: return 3;
    case 401: return 16;
    case 403: return 7;
    case 404: return 5;
    case 409: return 10;
    case 412: return 9;
    case 416: return 11;
    case 429: return 8;
    case 499: return 1;
    case 501: return 12;
    case 503: return 14;
    case 504: return 4;
    default: return httpStatus >= 500 ? 13 : 9;
  }
}

/** An RPC that completed with a non-OK status: exit 64+status. */
export function rpcStatusError(status: number, message: string, details?: Record<string, unknown>, hint?: string): DialError {
  const name = grpcStatusName(status);
  return new DialError(`RPC_${name}`, `RPC failed: ${name}${message ? `: ${message}` : ''}`, {
    exitCode: rpcExitCode(status),
    hint,
    details: {status, statusName: name, ...details},
  });
}
