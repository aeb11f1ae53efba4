import thrift from 'thrift';
import {readStruct, writeStruct, type Protocol} from '../../codecs/thrift.js';
import type {ThriftStruct} from '../../codecs/thrift-idl.js';
import type {JsonValue} from '../../codecs/types.js';

import type {ThriftProtocolName} from './names.js';

export {THRIFT_PROTOCOLS, THRIFT_TRANSPORTS, type ThriftProtocolName, type ThriftTransportName} from './names.js';

type ProtocolClass = new (t: unknown) => Protocol;
export const PROTOCOL_CLASSES: Record<ThriftProtocolName, ProtocolClass> = {
  binary: thrift.TBinaryProtocol as unknown as ProtocolClass,
  compact: thrift.TCompactProtocol as unknown as ProtocolClass,
  json: thrift.TJSONProtocol as unknown as ProtocolClass,
};

export const MessageType = {CALL: 1, REPLY: 2, EXCEPTION: 3, ONEWAY: 4} as const;

/** TApplicationExceptionType names, by value. */
export const APPLICATION_EXCEPTION_TYPES = [
  'UNKNOWN', 'UNKNOWN_METHOD', 'INVALID_MESSAGE_TYPE', 'WRONG_METHOD_NAME', 'BAD_SEQUENCE_ID', 'MISSING_RESULT',
  'INTERNAL_ERROR', 'PROTOCOL_ERROR', 'INVALID_TRANSFORM', 'INVALID_PROTOCOL', 'UNSUPPORTED_CLIENT_TYPE',
] as const;

/** Writes one message (a call, a reply or an exception) and returns its bytes, without transport framing. */
export function encodeMessage(protocol: ThriftProtocolName, name: string, type: number, seqid: number, body: (p: Protocol) => void): Buffer {
  const chunks: Buffer[] = [];
  const transport = new thrift.TBufferedTransport(undefined, (buf?: Buffer) => {
    if (buf) chunks.push(buf);
  });
  const p = new PROTOCOL_CLASSES[protocol](transport);
  p.writeMessageBegin(name, type as thrift.Thrift.MessageType, seqid);
  body(p);
  p.writeMessageEnd();
  p.flush();
  return Buffer.concat(chunks);
}

/** The request message of a call: the arguments (JSON by field name) as the `_args` struct. */
export function encodeCall(protocol: ThriftProtocolName, name: string, args: ThriftStruct, json: unknown, oneway: boolean, seqid: number): Buffer {
  return encodeMessage(protocol, name, oneway ? MessageType.ONEWAY : MessageType.CALL, seqid, (p) => writeStruct(p, args, json, '$'));
}

/** What came back: the result struct as JSON, or a TApplicationException. */
export type ThriftReply =
  | {name: string; seqid: number; kind: 'reply'; result: Record<string, JsonValue>}
  | {name: string; seqid: number; kind: 'exception'; type: number; typeName: string; message: string};

/** True for the error a protocol throws when the bytes so far hold only part of a message. */
export function isUnderrun(e: unknown): boolean {
  return (e as Error)?.name === 'InputBufferUnderrunError';
}

/** Reads one reply message from a protocol over the received bytes (throws an underrun error while it is incomplete). */
export function readReply(p: Protocol, result: ThriftStruct): ThriftReply {
  const {fname, mtype, rseqid} = p.readMessageBegin();
  if (mtype === MessageType.EXCEPTION) {
    const x = new thrift.Thrift.TApplicationException();
    x.read(p as never);
    p.readMessageEnd();
    const type = Number((x as unknown as {type?: number}).type ?? 0);
    return {name: fname, seqid: rseqid, kind: 'exception', type, typeName: APPLICATION_EXCEPTION_TYPES[type] ?? `TYPE_${type}`, message: x.message ?? ''};
  }
  if (mtype !== MessageType.REPLY) throw new Error(`message type ${mtype} where a reply (2) or exception (3) was expected`);
  const out = readStruct(p, result) as Record<string, JsonValue>;
  p.readMessageEnd();
  return {name: fname, seqid: rseqid, kind: 'reply', result: out};
}

/** Reads a call (server side: the demo's processor): name, type, seqid; the caller then reads the args struct. */
export function readCallHeader(p: Protocol): {name: string; type: number; seqid: number} {
  const {fname, mtype, rseqid} = p.readMessageBegin();
  return {name: fname, type: mtype, seqid: rseqid};
}
