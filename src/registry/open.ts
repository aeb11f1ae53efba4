import {clusterClientTls, clusterToken, dialHome, readClusterFile, type ClusterInfo} from '../config/index.js';
import {DialError, ExitCode, usageError} from '../errors/index.js';
import {MemoryRegistry} from './memory-registry.js';
import type {Registry} from './types.js';

export interface OpenRegistryOptions {
  /** --registry / DIAL_REGISTRY; default: the local cluster of DIAL_HOME. */
  url?: string;
  /** --token / DIAL_TOKEN; default: the local cluster's token file, if any. */
  token?: string;
  home?: string;
}

/** A registry URL turned into what a client needs. */
export interface ResolvedRegistry {
  url: string;
  scheme: string;
  /** For HTTP-speaking registries: http(s)://host:port */
  baseUrl?: string;
  hosts: string[];
  cluster?: ClusterInfo;
}

/** Resolves --registry (or the local cluster) to a URL; throws CLUSTER_NOT_RUNNING when there is none. */
export function resolveRegistry(opts: OpenRegistryOptions = {}): ResolvedRegistry {
  const home = opts.home ?? dialHome();
  if (!opts.url) {
    const cluster = readClusterFile(home);
    if (!cluster) {
      throw new DialError('CLUSTER_NOT_RUNNING', `no local cluster is running (nothing at ${home}/cluster.json)`, {
        hint: "run 'dial cluster up' first, or pass --registry URL (or DIAL_REGISTRY)",
        exitCode: ExitCode.Unreachable,
      });
    }
    return {
      url: `dial://${cluster.api.host}:${cluster.api.port}`,
      scheme: 'dial',
      baseUrl: cluster.api.url,
      hosts: [`${cluster.api.host}:${cluster.api.port}`],
      cluster,
    };
  }
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(opts.url);
  if (!m) {
    throw usageError(`invalid registry URL '${opts.url}'`, 'use dial://HOST:PORT, consul://HOST:PORT, etcd://HOST:PORT or zk://HOST:PORT');
  }
  const scheme = m[1].toLowerCase();
  const hosts = m[2].split(',').filter(Boolean);
  if (hosts.length === 0 && scheme !== 'mem') throw usageError(`registry URL '${opts.url}' has no host`, 'e.g. consul://127.0.0.1:8500');
  const httpBase = (secure: boolean) => `${secure ? 'https' : 'http'}://${hosts[0]}`;
  switch (scheme) {
    case 'dial': case 'consul': case 'http':
      return {url: opts.url, scheme, baseUrl: httpBase(false), hosts};
    case 'https': case 'consul+https': case 'dials':
      return {url: opts.url, scheme, baseUrl: httpBase(true), hosts};
    default:
      return {url: opts.url, scheme, hosts};
  }
}

/** Opens the Registry named by the URL (or the local cluster). */
export async function openRegistry(opts: OpenRegistryOptions = {}): Promise<Registry> {
  const r = resolveRegistry(opts);
  const token = opts.token ?? clusterToken(r.cluster);
  if (r.baseUrl) {
    const {ConsulApiRegistry} = await import('./consul-api-registry.js');
    const local = r.scheme === 'dial' || Boolean(r.cluster);
    return new ConsulApiRegistry(r.url, {
      baseUrl: r.baseUrl,
      token,
      peerName: local ? `the cluster at ${r.hosts[0]}` : `the registry at ${r.hosts[0]}`,
      unreachableHint: local
        ? "run 'dial cluster up' (or 'dial cluster status' to see what is running)"
        : `check that the agent at ${r.hosts[0]} is running and reachable`,
      tls: clusterClientTls(r.cluster),
    });
  }
  if (r.scheme === 'mem') return new MemoryRegistry();
  if (r.scheme === 'etcd') {
    const {EtcdRegistry} = await import('./etcd-registry.js');
    return new EtcdRegistry(r.url, r.hosts);
  }
  if (r.scheme === 'zk' || r.scheme === 'zookeeper') {
    const {ZookeeperRegistry} = await import('./zk-registry.js');
    return new ZookeeperRegistry(r.url, r.hosts);
  }
  throw usageError(`unsupported registry scheme '${r.scheme}://'`, 'use dial://, consul://, etcd:// or zk://');
}

