import {create} from '@bufbuild/protobuf';
import {anyPack, timestampNow} from '@bufbuild/protobuf/wkt';
import {Code, ConnectError, type ConnectRouter, type HandlerContext} from '@connectrpc/connect';
import {BadRequestSchema, ErrorInfoSchema, HelpSchema, LocalizedMessageSchema, RetryInfoSchema} from '../../gen/google/rpc/error_details_pb.js';
import {NoteSchema} from '../../gen/showcase/v1/notes_pb.js';
import {ServerInfoSchema, Showcase, type ChatMessage, type Everything, type SumRequest} from '../../gen/showcase/v1/showcase_pb.js';

/** Request headers that say nothing about the call itself (transport and protocol plumbing). */
const PLUMBING = /^(:|content-type$|content-length$|te$|user-agent$|grpc-|connect-|accept|x-grpc-web$|x-user-agent$|host$|connection$|transfer-encoding$|keep-alive$)/;

function protocolOf(ctx: HandlerContext): string {
  const ct = ctx.requestHeader.get('content-type') ?? '';
  return ct.startsWith('application/grpc-web') ? 'grpc-web' : ct.startsWith('application/grpc') ? 'grpc' : 'connect';
}

export interface ShowcaseOptions {
  /** The instance ID that answers (reported in Echo and Chat). */
  instance: string;
  /** Runs before each call: may delay, hang, or return 'error' (fault injection). */
  before?: () => Promise<'ok' | 'error'>;
}

/**
 * showcase.v1.Showcase: every call kind, every proto3 JSON corner, and errors
 * with google.rpc details. Served by the showcase demo instance over gRPC,
 * gRPC-Web and Connect.
 */
export function addShowcase(router: ConnectRouter, opts: ShowcaseOptions): void {
  const gate = async () => {
    if ((await opts.before?.()) === 'error') throw new ConnectError(`injected fault on ${opts.instance}`, Code.Unavailable);
  };
  router.service(Showcase, {
    async echo(req: Everything, ctx): Promise<Everything> {
      await gate();
      const headers: Record<string, string> = {};
      ctx.requestHeader.forEach((v, k) => {
        if (!PLUMBING.test(k)) headers[k] = v;
      });
      return {...req, server: create(ServerInfoSchema, {instance: opts.instance, protocol: protocolOf(ctx), receivedAt: timestampNow(), headers})};
    },
    async *count(req, ctx) {
      await gate();
      const n = req.count > 0 ? req.count : 5;
      const pauseMs = req.interval ? Number(req.interval.seconds) * 1000 + req.interval.nanos / 1e6 : 0;
      for (let i = 1; i <= n && !ctx.signal.aborted; i++) {
        if (i > 1 && pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
        yield {n: BigInt(i), at: timestampNow()};
      }
    },
    async sum(requests: AsyncIterable<SumRequest>) {
      await gate();
      let sum = 0n;
      let count = 0;
      for await (const r of requests) {
        sum += r.value;
        count++;
      }
      return {sum, count};
    },
    async *chat(requests: AsyncIterable<ChatMessage>) {
      await gate();
      let seq = 0;
      for await (const m of requests) yield {text: `you said: ${m.text}`, from: opts.instance, seq: ++seq};
    },
    async fail(req) {
      await gate();
      const code = req.code > 0 && req.code <= 16 ? (req.code as Code) : Code.InvalidArgument;
      throw new ConnectError(req.message || `failed as asked (code ${code})`, code, undefined, [
        {desc: BadRequestSchema, value: {fieldViolations: [{field: 'code', description: `you asked for status ${code}`, reason: 'ASKED_TO_FAIL'}]}},
        {desc: ErrorInfoSchema, value: {reason: 'ASKED_TO_FAIL', domain: 'showcase.dial.dev', metadata: {instance: opts.instance}}},
        {desc: RetryInfoSchema, value: {retryDelay: {seconds: 1n, nanos: 500_000_000}}},
        {desc: LocalizedMessageSchema, value: {locale: 'en-US', message: 'The showcase failed on purpose.'}},
        {desc: HelpSchema, value: {links: [{description: 'gRPC error model', url: 'https://grpc.io/docs/guides/error/'}]}},
      ]);
    },
    async pack(req) {
      await gate();
      return {item: anyPack(NoteSchema, create(NoteSchema, {text: req.text || 'a note', writtenAt: timestampNow()}))};
    },
  });
}
