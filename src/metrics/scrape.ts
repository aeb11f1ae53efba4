import {setMaxListeners} from 'node:events';
import {Agent} from 'undici';
import {request} from '../util/http-request.js';
import {clusterClientTls, clusterToken, type ClusterInfo} from '../config/index.js';
import {DialError, ExitCode} from '../errors/index.js';
import type {Registry} from '../registry/index.js';
import {didYouMean} from '../util/index.js';
import {parseExposition, type MetricFamily} from './exposition.js';

/** Something with a /metrics endpoint: the daemon, or a demo instance (found by its `metrics_port` metadata). */
export interface ScrapeTarget {
  /** "daemon" or the instance ID. */
  id: string;
  /** "dial" for the daemon, else the registry service name. */
  service: string;
  url: string;
  /** Registry health of the instance (the daemon: passing when it answers). */
  health: string;
}

export interface ScrapeResult {
  target: ScrapeTarget;
  /** ms since epoch when the scrape answered. */
  at: number;
  families: MetricFamily[];
  /** Set when the scrape failed (the families are then empty). */
  error?: string;
}

export interface ScraperOptions {
  registry: Registry;
  /** The local cluster, whose daemon is a target too. */
  cluster?: ClusterInfo;
  timeoutMs?: number;
  /** ACL token for the daemon's /metrics (a cluster started with --token-reads); default: the cluster's token file. */
  token?: string;
}

/** Finds /metrics endpoints through the registry and scrapes them (concurrently, each with a timeout). */
export class Scraper {
  private dispatcher?: Agent;

  constructor(private readonly opts: ScraperOptions) {}

  /**
   * Every target, or those `select` names: "daemon", a service name, or an
   * instance ID. Throws NOT_FOUND (with a did-you-mean) when nothing matches.
   */
  async targets(select?: string): Promise<ScrapeTarget[]> {
    const all: ScrapeTarget[] = [];
    const c = this.opts.cluster;
    if (c) all.push({id: 'daemon', service: 'dial', url: `${c.api.url}/metrics`, health: 'passing'});
    for (const svc of await this.opts.registry.services()) {
      for (const i of await this.opts.registry.discover(svc.name)) {
        const port = Number(i.meta.metrics_port);
        if (!port) continue;
        const host = i.address.includes(':') ? `[${i.address}]` : i.address || '127.0.0.1';
        all.push({id: i.id, service: i.name, url: `http://${host}:${port}/metrics`, health: i.status});
      }
    }
    if (!select) return all;
    const picked = all.filter((t) => t.id === select || t.service === select || (select === 'dial' && t.id === 'daemon'));
    if (picked.length === 0) {
      const names = [...new Set(all.flatMap((t) => [t.id, t.service]))];
      throw new DialError('NOT_FOUND', `no metrics endpoint for '${select}'${didYouMean(select, names)}`, {
        hint: names.length ? `targets: ${names.join(', ')}` : "no instance has registered a metrics_port; is the cluster up ('dial cluster status')?",
        exitCode: ExitCode.Failed,
      });
    }
    return picked;
  }

  async scrape(target: ScrapeTarget, signal?: AbortSignal): Promise<ScrapeResult> {
    this.dispatcher ??= new Agent({
      connect: clusterClientTls(this.opts.cluster),
      connectTimeout: this.opts.timeoutMs ?? 2000,
    });
    const timeout = this.opts.timeoutMs ?? 2000;
    try {
      const token = target.id === 'daemon' ? (this.opts.token ?? clusterToken(this.opts.cluster)) : undefined;
      const res = await request(target.url, {dispatcher: this.dispatcher, headersTimeout: timeout, bodyTimeout: timeout, signal, headers: token ? {'x-consul-token': token} : undefined});
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      return {target, at: Date.now(), families: await parseExposition(text, target.url)};
    } catch (e) {
      if (signal?.aborted) throw e;
      const err = e as Error & {code?: string};
      return {target, at: Date.now(), families: [], error: `${target.url}: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}`};
    }
  }

  /**
   * Scrapes every target at once. Each request adds an abort listener to its
   * signal (undici), and a signal warns past 10 (MaxListenersExceededWarning):
   * so the round gets its own signal, sized for the targets, that one listener
   * on the caller's signal aborts.
   */
  async scrapeAll(targets: ScrapeTarget[], signal?: AbortSignal): Promise<ScrapeResult[]> {
    if (!signal) return Promise.all(targets.map((t) => this.scrape(t)));
    const round = new AbortController();
    setMaxListeners(targets.length + 10, round.signal);
    const abort = () => round.abort(signal.reason);
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, {once: true});
    try {
      return await Promise.all(targets.map((t) => this.scrape(t, round.signal)));
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher?.close();
  }
}
