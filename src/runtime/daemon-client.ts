import {readFileSync} from 'node:fs';
import {readClusterFile} from '../config/index.js';
import {DialError, ExitCode} from '../errors/index.js';
import {HttpClient} from '../registry/http-client.js';

export interface DaemonClientOptions {
  /** --token / DIAL_TOKEN; default: the cluster's token file, if any. */
  token?: string;
  /** The hint when no cluster runs (default: run 'dial cluster up'). */
  notRunningHint?: string;
  timeoutMs?: number;
}

/**
 * An HTTP client for the local cluster daemon's own API (instances, txn,
 * broker ...): cluster.json gives the URL, the client certificate under
 * --tls and the token file. CLUSTER_NOT_RUNNING (exit 3) when no cluster runs.
 */
export function openDaemonClient(home: string, opts: DaemonClientOptions = {}): HttpClient {
  const info = readClusterFile(home);
  if (!info) {
    throw new DialError('CLUSTER_NOT_RUNNING', `no local cluster is running (nothing at ${home}/cluster.json)`, {
      hint: opts.notRunningHint ?? "run 'dial cluster up' first",
      exitCode: ExitCode.Unreachable,
    });
  }
  let token = opts.token;
  if (!token && info.tokenFile) {
    try {
      token = readFileSync(info.tokenFile, 'utf8').trim() || undefined;
    } catch {
      // no token file: requests go without one
    }
  }
  return new HttpClient({
    baseUrl: info.api.url,
    peerName: `the cluster at ${info.api.host}:${info.api.port}`,
    unreachableHint: "run 'dial cluster status'; 'dial cluster up' starts it",
    token,
    timeoutMs: opts.timeoutMs ?? 30_000,
    tls: info.tls ? {ca: readFileSync(info.tls.caFile), cert: readFileSync(info.tls.certFile), key: readFileSync(info.tls.keyFile)} : undefined,
  });
}
