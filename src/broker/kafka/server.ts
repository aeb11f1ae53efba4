import {createServer, type Server, type Socket} from 'node:net';
import type {Broker} from '../broker.js';
import type {Handler, KafkaContext} from './context.js';
import {GroupProtocol, type GroupProtocolOptions} from './group-protocol.js';
import {DATA_HANDLERS} from './handlers/data.js';
import {GROUP_HANDLERS} from './handlers/groups.js';
import {apiVersionsBody, METADATA_HANDLERS} from './handlers/metadata.js';
import {isSupported} from './versions.js';
import {ApiKey, Encoder, ErrorCode, MalformedRequest, Reader, type RequestHeader} from './wire.js';

const HANDLERS: Record<number, Handler> = {...METADATA_HANDLERS, ...DATA_HANDLERS, ...GROUP_HANDLERS};

/** Kafka's socket.request.max.bytes: a frame announcing more is malformed. */
const MAX_FRAME = 100 * 1024 * 1024;

export interface KafkaListenerOptions {
  host: string;
  port: number;
  /** Partitions of topics created by Metadata or Produce (default 3, as `dial pub`). */
  defaultPartitions?: number;
  groups?: GroupProtocolOptions;
  log?: (line: string) => void;
}

export interface KafkaListener {
  host: string;
  port: number;
  groups: GroupProtocol;
  close(): Promise<void>;
}

/**
 * The broker's Kafka listener: Kafka's binary protocol over TCP on the same
 * durable log as the HTTP API. Requests of one connection are decoded in
 * order and answered in order (as a Kafka broker does); a produce's
 * acknowledgement waits for the group commit, a fetch for data or its max
 * wait, without holding up the requests behind it. A frame that cannot be
 * decoded closes its connection only.
 */
export async function startKafkaListener(broker: Broker, opts: KafkaListenerOptions): Promise<KafkaListener> {
  const groups = new GroupProtocol(opts.groups);
  const sockets = new Set<Socket>();
  const log = opts.log ?? (() => undefined);
  const base = {broker, groups, host: opts.host, port: 0, nodeId: 1, clusterId: 'dial-local', defaultPartitions: opts.defaultPartitions ?? 3};
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // Metadata and FindCoordinator name the address this client reached (right also when --host is 0.0.0.0).
    const local = (socket.localAddress ?? opts.host).replace(/^::ffff:/, '');
    serveConnection(socket, {...base, host: local.includes(':') ? `[${local}]` : local, port: base.port, clientHost: `/${socket.remoteAddress ?? ''}`}, log);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  base.port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    host: opts.host, port: base.port, groups,
    async close() {
      groups.stop();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serveConnection(socket: Socket, ctxBase: Omit<KafkaContext, 'serial'>, log: (line: string) => void): void {
  let chain: Promise<unknown> = Promise.resolve();
  const ctx: KafkaContext = {
    ...ctxBase,
    serial<T>(fn: () => Promise<T>): Promise<T> {
      const run = chain.then(fn);
      chain = run.catch(() => undefined);
      return run;
    },
  };
  // Chunks are joined only once a whole frame is there (a 1 MB produce arrives in many chunks).
  let chunks: Buffer[] = [];
  let buffered = 0;
  let pending: Buffer = Buffer.alloc(0);
  let replies: Promise<null> = Promise.resolve(null);
  const close = (why: string) => {
    if (socket.destroyed) return;
    log(`kafka: closed a connection from ${socket.remoteAddress}:${socket.remotePort}: ${why}`);
    socket.destroy();
  };
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    if (pending.length >= 4 && buffered < 4 + pending.readInt32BE(0)) return;
    pending = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    while (pending.length >= 4) {
      const size = pending.readInt32BE(0);
      if (size < 8 || size > MAX_FRAME) return close(`malformed frame (size ${size})`);
      if (pending.length < 4 + size) break;
      const frame = pending.subarray(4, 4 + size);
      pending = pending.subarray(4 + size);
      const reply = answer(frame, ctx).catch((e: Error) => {
        close(e instanceof MalformedRequest || e instanceof RangeError ? `malformed request: ${e.message}` : `request failed: ${e.stack ?? e.message}`);
        return null;
      });
      // Answers leave in request order, whatever order they are ready in.
      const previous = replies;
      replies = previous.then(() => reply).then((buf) => {
        if (buf && !socket.destroyed) {
          socket.cork();
          for (const b of buf) socket.write(b);
          socket.uncork();
        }
        return null;
      });
    }
    chunks = pending.length ? [pending] : [];
    buffered = pending.length;
  });
}

async function answer(frame: Buffer, ctx: KafkaContext): Promise<Buffer[] | null> {
  const r = new Reader(frame);
  const header: RequestHeader = {apiKey: r.readInt16(), apiVersion: r.readInt16(), correlationId: r.readInt32(), clientId: r.readString()};
  let body: Encoder | null;
  if (!isSupported(header.apiKey, header.apiVersion)) {
    // ApiVersions is answered in its v0 form, so a client can learn the versions and retry (KIP-511); any other request gets only the error code.
    body = header.apiKey === ApiKey.ApiVersions ? apiVersionsBody(0, ErrorCode.UNSUPPORTED_VERSION) : new Encoder().writeInt16(ErrorCode.UNSUPPORTED_VERSION);
  } else {
    body = await HANDLERS[header.apiKey](r, header.apiVersion, ctx, header);
  }
  if (!body) return null;
  const payload = body.buffer;
  const out = Buffer.allocUnsafe(8);
  out.writeInt32BE(payload.length + 4, 0);
  out.writeInt32BE(header.correlationId, 4);
  return [out, payload];
}
