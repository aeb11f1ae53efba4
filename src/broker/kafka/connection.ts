import {connect as netConnect, type Socket} from 'node:net';
import {connect as tlsConnect, type ConnectionOptions} from 'node:tls';
import {errorCodes} from 'kafkajs/src/protocol/error.js';
import {Encoder, MalformedRequest, Reader} from './wire.js';

/** Kafka's name and text for an error code (kafkajs's table). */
export function kafkaErrorText(code: number): string {
  const e = errorCodes.find((x) => x.code === code);
  return e ? `${e.type}: ${e.message}` : `error code ${code}`;
}

/** An error code in a response, with Kafka's name for it. */
export class KafkaResponseError extends Error {
  constructor(readonly code: number, what: string) {
    super(`${what}: ${kafkaErrorText(code)}`);
  }
}

export interface KafkaConnectOptions {
  host: string;
  port: number;
  timeoutMs: number;
  /** TLS (node's tls options), or plaintext when undefined. */
  tls?: ConnectionOptions;
  clientId?: string;
}

const MAX_RESPONSE = 256 * 1024 * 1024;

/**
 * One client connection speaking Kafka's protocol (request header v1,
 * response header v0: the versions before "flexible" encodings), with
 * requests pipelined and matched to responses by correlation id. A large
 * response arrives in many chunks; they are joined once, when it is whole.
 */
export class KafkaConnection {
  private nextId = 1;
  private readonly pending = new Map<number, {resolve(r: Reader): void; reject(e: Error): void}>();
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The frame being filled, once its size is known and it is not whole yet. */
  private frame: Buffer | undefined;
  private filled = 0;
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket, private readonly clientId: string) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(Object.assign(new Error('the broker closed the connection'), {code: 'ECONNRESET'})));
  }

  static open(o: KafkaConnectOptions): Promise<KafkaConnection> {
    return new Promise((resolve, reject) => {
      const socket = o.tls ? tlsConnect({host: o.host, port: o.port, servername: o.host, ...o.tls}) : netConnect({host: o.host, port: o.port});
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error(`connection timed out after ${o.timeoutMs} ms`), {code: 'ETIMEDOUT'}));
      }, o.timeoutMs);
      const ready = () => {
        clearTimeout(timer);
        socket.off('error', failed);
        resolve(new KafkaConnection(socket, o.clientId ?? 'dial'));
      };
      const failed = (e: Error) => {
        clearTimeout(timer);
        reject(e);
      };
      socket.once(o.tls ? 'secureConnect' : 'connect', ready);
      socket.once('error', failed);
    });
  }

  /** Sends request `apiKey` v`version` with the body `write` adds; resolves with a Reader at the response body. */
  request(apiKey: number, version: number, write: (e: Encoder) => void): Promise<Reader> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const e = new Encoder().writeInt32(0).writeInt16(apiKey).writeInt16(version).writeInt32(id).writeString(this.clientId);
    write(e);
    const frame = e.buffer;
    frame.writeInt32BE(frame.length - 4, 0);
    return new Promise<Reader>((resolve, reject) => {
      this.pending.set(id, {resolve, reject});
      this.socket.write(frame);
    });
  }

  close(): void {
    this.failure ??= new Error('closed');
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    // a large frame is copied into its own buffer as it arrives (while dial waits anyway), not joined at the end
    if (this.frame) {
      const n = Math.min(chunk.length, this.frame.length - this.filled);
      chunk.copy(this.frame, this.filled, 0, n);
      this.filled += n;
      if (this.filled < this.frame.length) return;
      const frame = this.frame;
      this.frame = undefined;
      this.answer(frame);
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
      const size = all.readInt32BE(0);
      if (size < 4 || size > MAX_RESPONSE) return this.fail(new MalformedRequest(`a response frame of ${size} bytes`));
      if (all.length < 4 + size) {
        this.chunks = [];
        this.buffered = 0;
        this.frame = Buffer.allocUnsafe(size);
        this.filled = all.copy(this.frame, 0, 4);
        return;
      }
      const rest = all.subarray(4 + size);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.answer(all.subarray(4, 4 + size));
    }
  }

  private answer(frame: Buffer): void {
    const id = frame.readInt32BE(0);
    const waiter = this.pending.get(id);
    if (!waiter) return this.fail(new MalformedRequest(`a response to no request (correlation id ${id})`));
    this.pending.delete(id);
    const r = new Reader(frame);
    r.offset = 4;
    waiter.resolve(r);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.socket.destroy();
    for (const w of this.pending.values()) w.reject(this.failure);
    this.pending.clear();
  }
}
