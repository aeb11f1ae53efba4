import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import {Duplex} from 'node:stream';

type Handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

/**
 * The socket as a stream that yields the already-read first chunk again. (The
 * http2 server reads a net.Socket's handle directly, so unshift() would lose
 * the chunk; a plain Duplex goes through the JS stream path instead.)
 */
function withFirstChunk(sock: net.Socket, first: Buffer): Duplex {
  const d = new Duplex({
    read: () => void sock.resume(),
    write: (chunk: Buffer, enc, cb) => void sock.write(chunk, enc, cb),
    final: (cb) => {
      sock.end();
      cb();
    },
    destroy: (err, cb) => {
      sock.destroy();
      cb(err);
    },
  });
  d.push(first);
  sock.on('data', (c: Buffer) => {
    if (!d.push(c)) sock.pause();
  });
  sock.on('end', () => d.push(null));
  sock.on('error', (e) => d.destroy(e));
  sock.on('close', () => d.destroy());
  return d;
}

export interface OnePortServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves one handler (connect-node's adapter: gRPC, gRPC-Web and Connect) on
 * one port, over HTTP/2 and HTTP/1.1 alike. Plaintext: the first bytes of a
 * connection tell HTTP/2 (its "PRI *" preface, h2c prior knowledge) from
 * HTTP/1.1. TLS: ALPN picks (h2 or http/1.1), with a client certificate
 * required as in the rest of the cluster.
 */
export async function listenOnePort(handler: Handler, opts: {host: string; port: number; tls?: {key: Buffer; cert: Buffer; ca: Buffer}}): Promise<OnePortServer> {
  let server: net.Server;
  if (opts.tls) {
    server = http2.createSecureServer({...opts.tls, allowHTTP1: true, requestCert: true, rejectUnauthorized: true}, handler as never);
  } else {
    const h2 = http2.createServer(handler as never);
    const h1 = http.createServer(handler as never);
    server = net.createServer((sock) => {
      sock.once('data', (first: Buffer) => {
        sock.pause();
        (first.subarray(0, 3).toString('latin1') === 'PRI' ? h2 : h1).emit('connection', withFirstChunk(sock, first));
      });
      sock.on('error', () => undefined);
    });
  }
  const sockets = new Set<net.Socket>();
  server.on(opts.tls ? 'secureConnection' : 'connection', (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
}
