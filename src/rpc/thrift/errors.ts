/**
 * TApplicationException type -> gRPC status, so a Thrift call exits with the
 * same 64+N codes as every other protocol:
 *
 * | TApplicationExceptionType | gRPC status |
 * |---|---|
 * | UNKNOWN (0) | UNKNOWN (2) |
 * | UNKNOWN_METHOD (1) | UNIMPLEMENTED (12) |
 * | INVALID_MESSAGE_TYPE (2), WRONG_METHOD_NAME (3), BAD_SEQUENCE_ID (4), MISSING_RESULT (5), INTERNAL_ERROR (6) | INTERNAL (13) |
 * | PROTOCOL_ERROR (7) | INVALID_ARGUMENT (3) |
 * | INVALID_TRANSFORM (8), INVALID_PROTOCOL (9), UNSUPPORTED_CLIENT_TYPE (10) | UNIMPLEMENTED (12) |
 *
 * A declared exception (a `throws` of the function) is UNKNOWN (2): the IDL
 * says what went wrong, not which gRPC code it is; the exception itself is in
 * the status details with its type.
 */
export function statusForApplicationException(type: number): number {
  switch (type) {
    case 1: case 8: case 9: case 10: return 12;
    case 2: case 3: case 4: case 5: case 6: return 13;
    case 7: return 3;
    default: return 2;
  }
}
