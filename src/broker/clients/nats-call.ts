import {usageError} from '../../errors/index.js';
import type {CommandContext} from '../../cli/session.js';
import {parseHeaderFlags} from '../../cli/headers.js';
import {parseDurationFlag} from '../../util/index.js';
import {parseBrokerUrl} from './url.js';
import {natsRequest} from './nats.js';

export interface NatsCallResult {
  subject: string;
  reply: unknown;
  headers: Record<string, string>;
  ms: number;
}

/** `dial call nats://HOST:PORT/SUBJECT -d JSON`: one NATS request, the reply printed like an RPC response. */
export async function natsCall(ctx: CommandContext, target: string, flags: {data?: string; header?: string[]; 'max-time'?: string; 'connect-timeout'?: string}): Promise<NatsCallResult> {
  const m = /^([a-z]+:\/\/[^/]+)\/(.*)$/i.exec(target);
  if (!m || !m[2]) throw usageError(`'${target}' names no subject`, "write it as nats://HOST:PORT/SUBJECT, e.g. dial call nats://127.0.0.1:4222/greeter.hello -d '{\"name\":\"ada\"}'");
  const b = parseBrokerUrl(m[1]);
  const timeoutMs = flags['max-time'] ? parseDurationFlag('max-time', flags['max-time']) : 5000;
  const data = Buffer.from(flags.data ?? '', 'utf8');
  const headers = flags.header ? Object.fromEntries(parseHeaderFlags(flags.header)) : undefined;
  const r = await natsRequest(b, {home: ctx.home, connectTimeoutMs: flags['connect-timeout'] ? parseDurationFlag('connect-timeout', flags['connect-timeout']) : undefined}, decodeURIComponent(m[2]), data, timeoutMs, headers);
  const text = r.reply.toString('utf8');
  let reply: unknown = text;
  try {
    reply = JSON.parse(text);
  } catch {
    // a text reply stays text
  }
  ctx.log(typeof reply === 'string' ? reply : JSON.stringify(reply, null, 2));
  return {subject: r.subject, reply, headers: r.headers, ms: Math.round(r.ms * 100) / 100};
}
