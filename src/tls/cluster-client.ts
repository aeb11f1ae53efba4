import {readFileSync} from 'node:fs';
import {dialHome, readClusterFile} from '../config/index.js';

/** TLS material as the call transports take it. */
export interface ClientTlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  servername?: string;
  insecure?: boolean;
}

/**
 * The local cluster's client TLS for a target resolved through its registry
 * (`dial cluster up --tls`): its CA and the CLI's client certificate from
 * cluster.json. What the caller set explicitly (--cacert, --cert, ...) wins.
 * Undefined when the target did not come from a TLS cluster of this DIAL_HOME.
 */
export function clusterClientTls(viaRegistry: string | undefined, explicit: ClientTlsMaterial | undefined, home = dialHome()): ClientTlsMaterial | undefined {
  if (!viaRegistry) return explicit;
  const cluster = readClusterFile(home);
  if (!cluster?.tls || viaRegistry !== `dial://${cluster.api.host}:${cluster.api.port}`) return explicit;
  const set = Object.fromEntries(Object.entries(explicit ?? {}).filter(([, v]) => v !== undefined)) as ClientTlsMaterial;
  return {ca: readFileSync(cluster.tls.caFile), cert: readFileSync(cluster.tls.certFile), key: readFileSync(cluster.tls.keyFile), ...set};
}
