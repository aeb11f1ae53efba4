/** The transports dial speaks: framed and buffered sockets, and HTTP POST (THttpClient). Light: the flags import it. */
export const THRIFT_TRANSPORTS = ['framed', 'buffered', 'http'] as const;
export type ThriftTransportName = (typeof THRIFT_TRANSPORTS)[number];
/** The protocols: TBinaryProtocol, TCompactProtocol, TJSONProtocol. */
export const THRIFT_PROTOCOLS = ['binary', 'compact', 'json'] as const;
export type ThriftProtocolName = (typeof THRIFT_PROTOCOLS)[number];

/** True when a --schema file is Thrift IDL (then list, describe and call speak Thrift). */
export function isThriftSchema(file: string | undefined): boolean {
  return Boolean(file && /\.thrift$/i.test(file));
}
