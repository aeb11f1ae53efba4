import type {JsonValue} from '@bufbuild/protobuf';
import {DialError, ExitCode} from '../../errors/index.js';
import type {HttpResponse} from './http-exchange.js';

const MSGPACK_TYPES = new Set(['application/msgpack', 'application/x-msgpack', 'application/vnd.msgpack']);

/** The Content-Type a REST body codec sends. */
export function mimeTypeOf(codec: string): string {
  if (codec === 'json') return 'application/json';
  if (codec === 'msgpack') return 'application/msgpack';
  throw new DialError('BAD_CODEC', `REST calls send JSON or msgpack bodies, not ${codec}`, {hint: 'use --codec json or --codec msgpack', exitCode: ExitCode.Usage});
}

/** Encodes a request body with the REST codec (json or msgpack). */
export async function encodeBody(codec: string, value: unknown): Promise<Buffer> {
  if (codec === 'msgpack') {
    const {msgpackCodec} = await import('../../codecs/msgpack.js');
    return Buffer.from(await msgpackCodec.encode(value));
  }
  mimeTypeOf(codec);
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/**
 * A response body as JSON, by its Content-Type: JSON parsed, msgpack decoded,
 * other text as a string, binary as base64; undefined when empty.
 */
export async function decodeBody(res: HttpResponse): Promise<JsonValue | undefined> {
  if (res.body.length === 0) return undefined;
  if (MSGPACK_TYPES.has(res.contentType)) {
    const {msgpackCodec} = await import('../../codecs/msgpack.js');
    return msgpackCodec.decode(res.body);
  }
  const text = res.body.toString('utf8');
  if (res.contentType === 'application/json' || res.contentType.endsWith('+json') || (!res.contentType && /^\s*[[{"]/.test(text))) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  if (!res.contentType || res.contentType.startsWith('text/') || /xml|javascript|x-www-form/.test(res.contentType)) return text;
  return Buffer.from(text, 'utf8').equals(res.body) ? text : res.body.toString('base64');
}
