import * as http2 from 'node:http2';
import type {Duplex} from 'node:stream';

/** Marks when the call's own request goes out, to time its first response byte. */
export interface FirstByteClock {
  callStartedAt?: number;
  firstByteMs?: number;
  /** The metadata the call's request really carried (user-agent, traceparent, grpc-timeout, ...). */
  sentHeaders?: Record<string, string>;
}

/**
 * One HTTP/2 connection for a dial invocation (reflection and the call share
 * it), over a socket dial opened itself so every layer is timed. It has the
 * shape of connect-node's NodeHttp2ClientSessionManager; a CLI needs no keep-alive pings.
 * The flow-control window is widened so long server streams are not held back.
 */
export class DialHttp2Session {
  readonly authority: string;
  private session?: Promise<http2.ClientHttp2Session>;
  private live?: http2.ClientHttp2Session;

  constructor(
    url: string,
    private readonly socket: () => Promise<Duplex>,
    private readonly onSettings: (ms: number) => void,
    private readonly onFailure: (e: unknown) => Promise<unknown>,
    private readonly clock: FirstByteClock,
    /** When the settings exchange must be done by (performance.now() time), for --connect-timeout. */
    private readonly deadline?: () => number | undefined,
    /**
     * authority: the :authority to send as given (node would add the port: my.host -> my.host:80);
     * repeated: -H names given more than once, sent as separate fields rather than one joined value.
     */
    private readonly send: {authority?: string; repeated?: Record<string, string[]>} = {},
  ) {
    this.authority = new URL(url).origin;
  }

  private async open(): Promise<http2.ClientHttp2Session> {
    const sock = await this.socket();
    // A TLS 1.3 server refuses a client certificate just after the handshake: the socket may already be gone.
    if (sock.destroyed) throw await this.onFailure(sock.errored ?? Object.assign(new Error('the connection closed before the server sent its HTTP/2 settings'), {code: 'ERR_HTTP2_NO_SETTINGS'}));
    const t0 = performance.now();
    const session = http2.connect(this.authority, {
      createConnection: () => sock,
      settings: {initialWindowSize: 4 << 20, enablePush: false},
    });
    this.live = session;
    const by = this.deadline?.();
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        session.once('remoteSettings', () => resolve());
        session.once('error', reject);
        // A TLS 1.3 server refuses a client certificate after the handshake; the session does not see that alert.
        sock.once('error', reject);
        session.once('close', () => reject(Object.assign(new Error('the connection closed before the server sent its HTTP/2 settings'), {code: 'ERR_HTTP2_NO_SETTINGS'})));
        if (by !== undefined) timer = setTimeout(() => reject(Object.assign(new Error('connect timeout'), {code: 'DIAL_CONNECT_TIMEOUT'})), Math.max(1, by - performance.now()));
      });
    } catch (e) {
      session.destroy();
      sock.destroy();
      throw await this.onFailure(e);
    } finally {
      clearTimeout(timer);
    }
    this.onSettings(performance.now() - t0);
    session.on('error', () => undefined);
    session.setLocalWindowSize(16 << 20);
    return session;
  }

  async request(method: string, path: string, headers: http2.OutgoingHttpHeaders, options: Omit<http2.ClientSessionRequestOptions, 'signal'>): Promise<http2.ClientHttp2Stream> {
    this.session ??= this.open();
    const session = await this.session;
    const fields: http2.OutgoingHttpHeaders = {...headers, ':method': method, ':path': path};
    if (this.send.authority) fields[':authority'] = this.send.authority;
    for (const [name, values] of Object.entries(this.send.repeated ?? {})) if (name in fields && fields[name] === values.join(', ')) fields[name] = values;
    const stream = session.request(fields, options);
    const started = this.clock.callStartedAt;
    if (started !== undefined && this.clock.firstByteMs === undefined) {
      stream.once('response', () => {
        this.clock.firstByteMs ??= performance.now() - started;
      });
    }
    return stream;
  }

  notifyResponseByteRead(): void {}

  /** Ends the connection (and any stream still open) so the process can exit. */
  close(): void {
    this.live?.destroy();
  }
}
