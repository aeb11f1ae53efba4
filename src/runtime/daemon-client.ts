import {clusterClientTls, clusterToken, readClusterFile, type ClusterInfo} from '../config/index.js';
import {DialError, ExitCode} from '../errors/index.js';
import {HttpClient} from '../registry/http-client.js';

export interface DaemonClientOptions {
  /** --token / DIAL_TOKEN; default: the cluster's token file, if any. */
  token?: string;
  /** The hint when no cluster runs (default: run 'dial cluster up'). */
  notRunningHint?: string;
  /** The hint when the daemon does not answer. */
  unreachableHint?: string;
  timeoutMs?: number;
}

/** An HTTP client of a cluster's daemon API: its URL, its token file and, under --tls, its client certificate. */
export function daemonHttpClient(info: ClusterInfo, opts: DaemonClientOptions = {}): HttpClient {
  return new HttpClient({
    baseUrl: info.api.url,
    peerName: `the cluster at ${info.api.host}:${info.api.port}`,
    unreachableHint: opts.unreachableHint ?? "run 'dial cluster status'; 'dial cluster up' starts it",
    token: opts.token ?? clusterToken(info),
    timeoutMs: opts.timeoutMs ?? 30_000,
    tls: clusterClientTls(info),
  });
}

/**
 * An HTTP client for the local cluster daemon's own API (instances, txn,
 * broker ...) from DIAL_HOME's cluster.json. CLUSTER_NOT_RUNNING (exit 3)
 * when no cluster runs.
 */
export function openDaemonClient(home: string, opts: DaemonClientOptions = {}): HttpClient {
  const info = readClusterFile(home);
  if (!info) {
    throw new DialError('CLUSTER_NOT_RUNNING', `no local cluster is running (nothing at ${home}/cluster.json)`, {
      hint: opts.notRunningHint ?? "run 'dial cluster up' first",
      exitCode: ExitCode.Unreachable,
    });
  }
  return daemonHttpClient(info, opts);
}
