/**
 * JSON-RPC 2.0 error codes (also the XML-RPC fault codes of the
 * specs-for-xmlrpc interoperability proposal) -> gRPC status, so every
 * protocol exits with the same 64+N codes.
 */
export function grpcStatusForRpcErrorCode(code: number): number {
  switch (code) {
    case -32700: return 3; // parse error -> INVALID_ARGUMENT
    case -32600: return 3; // invalid request
    case -32601: return 12; // method not found -> UNIMPLEMENTED
    case -32602: return 3; // invalid params
    case -32603: return 13; // internal error -> INTERNAL
    default: return 2; // server-defined (-32000..-32099) and application errors -> UNKNOWN
  }
}
