import {DialError, ExitCode, isDialError} from '../../errors/index.js';
import type {HttpClient} from '../../registry/http-client.js';
import {openDaemonClient} from '../daemon-client.js';
import type {Faults, InstanceView} from './types.js';

/**
 * The CLI side of instance control: talks to the local cluster daemon's
 * /v1/dial/instances API (see extension.ts).
 */
export class InstanceControl {
  private constructor(private readonly http: HttpClient) {}

  /** Opens the control API of the cluster in `home`; throws CLUSTER_NOT_RUNNING when there is none. */
  static open(home: string, token?: string): InstanceControl {
    return new InstanceControl(openDaemonClient(home, {token}));
  }

  async list(): Promise<InstanceView[]> {
    return this.call<InstanceView[]>('GET', '/v1/dial/instances');
  }

  async get(id: string): Promise<InstanceView> {
    return this.call<InstanceView>('GET', `/v1/dial/instances/${encodeURIComponent(id)}`);
  }

  /** Sets faults (merged with the current ones) and returns the instance. */
  async fault(id: string, faults: Partial<Faults>): Promise<InstanceView> {
    return this.call<InstanceView>('POST', `/v1/dial/instances/${encodeURIComponent(id)}/fault`, faults);
  }

  async heal(id: string): Promise<InstanceView> {
    return this.call<InstanceView>('POST', `/v1/dial/instances/${encodeURIComponent(id)}/heal`, {});
  }

  /** Signals the instance (SIGKILL by default: a crash, no deregistration) and waits for it to exit. */
  async kill(id: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<InstanceView> {
    return this.call<InstanceView>('POST', `/v1/dial/instances/${encodeURIComponent(id)}/kill`, {signal});
  }

  /** Restarts the instance and waits until it is ready (and its check passes). */
  async restart(id: string): Promise<InstanceView> {
    return this.call<InstanceView>('POST', `/v1/dial/instances/${encodeURIComponent(id)}/restart`, {});
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    try {
      return (await this.http.send<T>(method, path, {body})).body;
    } catch (e) {
      const status = isDialError(e) ? (e.details?.httpStatus as number | undefined) : undefined;
      if (!isDialError(e) || status === undefined || status === 403) throw e;
      const message = e.message.replace(/^\w+ \S+: /, '');
      if (status === 404 && /^no such endpoint/.test(message)) {
        throw new DialError('UNSUPPORTED', 'the running cluster daemon has no instance control API', {
          hint: "restart it with this dial version: 'dial cluster down && dial cluster up'",
        });
      }
      throw new DialError(status === 404 ? 'INSTANCE_NOT_FOUND' : status === 409 ? 'INSTANCE_NOT_RUNNING' : status === 400 ? 'USAGE' : 'INSTANCE_CONTROL_FAILED', message, {
        hint: status === 404 ? "see 'dial instance list'" : undefined,
        exitCode: status === 400 ? ExitCode.Usage : ExitCode.Failed,
      });
    }
  }
}
