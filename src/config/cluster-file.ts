import {readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {DialError, ExitCode} from '../errors/index.js';
import {homePaths} from './home.js';

/** DIAL_HOME/cluster.json: how clients find the running local cluster. */
export interface ClusterInfo {
  version: 1;
  pid: number;
  startedAt: string;
  home: string;
  api: {host: string; port: number; url: string};
  logFile: string;
  stateDb: string;
  /** Number of demo greeter instances the daemon supervises. */
  instances: number;
  tls?: {caFile: string; certFile: string; keyFile: string};
  tokenFile?: string;
  /** The broker's Kafka listener: `bootstrap` is what Kafka clients take (host:port). */
  kafka?: {host: string; port: number; bootstrap: string};
}

export function readClusterFile(home: string): ClusterInfo | undefined {
  const {clusterFile} = homePaths(home);
  let text: string;
  try {
    text = readFileSync(clusterFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const info = JSON.parse(text) as ClusterInfo;
    if (info.version !== 1 || typeof info.api?.url !== 'string') throw new Error('unexpected shape');
    return info;
  } catch (e) {
    throw new DialError('CLUSTER_FILE_CORRUPT', `${clusterFile} is not a valid cluster file (${(e as Error).message})`, {
      hint: "run 'dial cluster down' to clean up, then 'dial cluster up'",
      exitCode: ExitCode.Failed,
    });
  }
}

/** Writes atomically (temp file + rename) with mode 0600. */
export function writeClusterFile(info: ClusterInfo): void {
  const {clusterFile} = homePaths(info.home);
  const tmp = `${clusterFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', {mode: 0o600});
  renameSync(tmp, clusterFile);
}

export function removeClusterFile(home: string): void {
  rmSync(homePaths(home).clusterFile, {force: true});
}

/** The cluster's ACL token (from its token file), if it has one. */
export function clusterToken(info: ClusterInfo | undefined): string | undefined {
  if (!info?.tokenFile) return undefined;
  try {
    return readFileSync(info.tokenFile, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The client TLS material of a cluster started with --tls (CA, client cert and key), read from DIAL_HOME. */
export function clusterClientTls(info: ClusterInfo | undefined): {ca: Buffer; cert: Buffer; key: Buffer} | undefined {
  if (!info?.tls) return undefined;
  return {ca: readFileSync(info.tls.caFile), cert: readFileSync(info.tls.certFile), key: readFileSync(info.tls.keyFile)};
}
