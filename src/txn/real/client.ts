import {DialError, ExitCode, isDialError} from '../../errors/index.js';
import type {HttpClient} from '../../registry/http-client.js';
import {openDaemonClient} from '../../runtime/daemon-client.js';
import type {TxnEvent} from '../events.js';
import type {BalancesView, BenchTimings, RunPage, RunRequest, RunResult, StatusView} from './wire.js';

/** The CLI side of the txn demo: talks to the cluster daemon's /v1/txn API. */
export class TxnClient {
  private constructor(private readonly http: HttpClient) {}

  static open(home: string, token?: string): TxnClient {
    return new TxnClient(openDaemonClient(home, {
      token,
      notRunningHint: "run 'dial cluster up' first (or 'dial txn run --in-process' to simulate without one)",
    }));
  }

  /** Starts a run and follows it: `onEvents` gets the timeline as it happens; resolves with the result. */
  async run(req: RunRequest, onEvents: (e: TxnEvent[]) => void, signal?: AbortSignal): Promise<RunResult> {
    const {id} = await this.call<{id: string}>('POST', '/v1/txn/runs', req);
    return this.follow(id, onEvents, signal);
  }

  async recover(maxTimeMs: number, onEvents: (e: TxnEvent[]) => void, signal?: AbortSignal): Promise<RunResult> {
    const {id} = await this.call<{id: string}>('POST', '/v1/txn/recover', {maxTimeMs});
    return this.follow(id, onEvents, signal);
  }

  async follow(id: string, onEvents: (e: TxnEvent[]) => void, signal?: AbortSignal): Promise<RunResult> {
    let after = 0;
    while (true) {
      if (signal?.aborted) throw new DialError('INTERRUPTED', 'interrupted; the run goes on in the cluster', {exitCode: ExitCode.Interrupted, hint: "see 'dial txn status'"});
      const page = await this.call<RunPage>('GET', `/v1/txn/runs/${id}?after=${after}&wait=500`);
      if (page.events.length) onEvents(page.events);
      after = page.next;
      if (page.done && page.result) return page.result;
    }
  }

  status(): Promise<StatusView> {
    return this.call('GET', '/v1/txn/status');
  }

  balances(): Promise<BalancesView> {
    return this.call('GET', '/v1/txn/balances');
  }

  reset(): Promise<{ok: boolean}> {
    return this.call('POST', '/v1/txn/reset', {});
  }

  bench(count: number, fsync: boolean, participants = 3): Promise<BenchTimings> {
    return this.call('POST', '/v1/txn/bench', {count, fsync, participants});
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    try {
      return (await this.http.send<T>(method, path, {body, timeoutMs: path.includes('bench') ? 600_000 : undefined})).body;
    } catch (e) {
      const status = isDialError(e) ? (e.details?.httpStatus as number | undefined) : undefined;
      if (!isDialError(e) || status === undefined || status === 403) throw e;
      const message = e.message.replace(/^\w+ \S+: /, '');
      if (status === 404 && /^no such endpoint/.test(message)) {
        throw new DialError('UNSUPPORTED', 'the running cluster daemon has no txn API', {hint: "restart it with this dial version: 'dial cluster down && dial cluster up'"});
      }
      throw new DialError(status === 409 ? 'TXN_BUSY' : status === 400 ? 'USAGE' : 'TXN_FAILED', message, {
        exitCode: status === 400 ? ExitCode.Usage : ExitCode.Failed,
        hint: status === 409 && /recover/.test(message) ? "'dial txn recover' restarts the crashed processes; 'dial txn reset' starts over" : undefined,
      });
    }
  }
}
