import {fromJson, toBinary, type DescMethod, type JsonValue} from '@bufbuild/protobuf';
import {isIP} from 'node:net';
import * as grpc from '@grpc/grpc-js';
import {DialError, ExitCode} from '../../errors/index.js';
import {quietIpServerNameWarning} from '../../util/index.js';
import {grpcTransport, parseHostPort, ReflectionSource, resolveMethod, type TransportOptions} from '../../rpc/index.js';

/** A unary method ready to call many times: its path and the encoded request. */
export interface PreparedMethod {
  /** pkg.Service/Method */
  name: string;
  path: string;
  request: Buffer;
}

/** Learns the method by server reflection from one instance and encodes the request once. */
export async function prepareMethod(address: string, methodText: string, message: unknown, transport: TransportOptions = {}, signal?: AbortSignal, basePath?: string): Promise<PreparedMethod> {
  const hp = parseHostPort(address);
  const {reflection, close} = await grpcTransport({...hp, ...(basePath ? {path: basePath} : {}), resolveMs: 0}, {...transport, protocol: 'grpc', signal});
  const source = new ReflectionSource(reflection, hp.hostPort, {signal});
  let method: DescMethod;
  let registry;
  try {
    ({method, registry} = await resolveMethod(source, methodText, hp.hostPort));
  } finally {
    await source.close();
    close();
  }
  if (method.methodKind !== 'unary') {
    throw new DialError('USAGE', `${method.parent.typeName}/${method.name} is a ${method.methodKind.replace('_', ' ')} method; balanced runs send unary calls`, {
      hint: 'pick a unary method (dial call -n/-c and dial bench repeat one request)',
      exitCode: ExitCode.Usage,
    });
  }
  let input;
  try {
    input = fromJson(method.input, message as JsonValue, {registry});
  } catch (e) {
    throw new DialError('BAD_REQUEST_DATA', `the request does not fit ${method.input.typeName}: ${(e as Error).message}`, {exitCode: ExitCode.Usage});
  }
  return {name: `${method.parent.typeName}/${method.name}`, path: `/${method.parent.typeName}/${method.name}`, request: Buffer.from(toBinary(method.input, input))};
}

export interface CallResult {
  code: number;
  message: string;
}

/** A gRPC channel to one instance that sends the prepared request. */
export class UnaryClient {
  private readonly client: grpc.Client;
  private readonly metadata: grpc.Metadata;

  /** TLS as `dial call` decides it: given settings or --tls, else plaintext to loopback addresses, TLS elsewhere. */
  /** `basePath` (an instance's metadata `path`) goes before /pkg.Service/Method. */
  constructor(address: string, private readonly method: PreparedMethod, headers: [string, string][] = [], transport: TransportOptions = {}, private readonly basePath = '') {
    const host = parseHostPort(address).host;
    const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
    const useTls = transport.security === 'tls' || (transport.security !== 'plaintext' && (transport.tls !== undefined || !loopback));
    const tls = transport.tls ?? {};
    const creds = useTls
      ? grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null, tls.insecure ? {checkServerIdentity: () => undefined} : undefined)
      : grpc.credentials.createInsecure();
    const options: grpc.ChannelOptions = {};
    if (useTls && !tls.servername && isIP(host)) quietIpServerNameWarning();
    if (useTls && tls.servername) options['grpc.ssl_target_name_override'] = tls.servername;
    if (transport.authority) options['grpc.default_authority'] = transport.authority;
    if (transport.userAgent) options['grpc.primary_user_agent'] = transport.userAgent;
    this.client = new grpc.Client(address, creds, options);
    this.metadata = new grpc.Metadata();
    for (const [k, v] of headers) this.metadata.add(k, v);
  }

  /**
   * Sends the request. No per-call gRPC deadline (a timer per call costs
   * throughput): the caller's Deadlines sweep cancels overdue calls, which
   * then end with DEADLINE_EXCEEDED.
   */
  call(deadlines?: Deadlines): Promise<CallResult> {
    return new Promise((resolve) => {
      let overdue = false;
      const call = this.client.makeUnaryRequest(
        this.basePath + this.method.path, () => this.method.request, (b: Buffer) => b, null, this.metadata, {},
        (err) => {
          deadlines?.done(call);
          if (!err) resolve({code: 0, message: ''});
          else if (overdue) resolve({code: grpc.status.DEADLINE_EXCEEDED, message: `no answer within ${deadlines!.timeoutMs}ms`});
          else resolve({code: err.code ?? grpc.status.UNKNOWN, message: err.details ?? err.message});
        },
      );
      deadlines?.add(call, () => (overdue = true));
    });
  }

  close(): void {
    this.client.close();
  }
}

/** Deadlines for many calls with one timer: calls older than timeoutMs are cancelled. */
export class Deadlines {
  private readonly calls = new Map<grpc.ClientUnaryCall, {at: number; onOverdue: () => void}>();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly timeoutMs: number) {
    this.timer = setInterval(() => this.sweep(), Math.max(5, Math.min(250, timeoutMs / 10)));
    this.timer.unref();
  }

  add(call: grpc.ClientUnaryCall, onOverdue: () => void): void {
    this.calls.set(call, {at: performance.now() + this.timeoutMs, onOverdue});
  }

  done(call: grpc.ClientUnaryCall): void {
    this.calls.delete(call);
  }

  private sweep(): void {
    const now = performance.now();
    for (const [call, d] of this.calls) {
      if (d.at > now) continue;
      this.calls.delete(call);
      d.onOverdue();
      call.cancel();
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
