import {readClusterFile} from '../config/index.js';
import type {Registry} from '../registry/index.js';
import {Scraper} from './scrape.js';

/**
 * A Scraper over `registry`; the local cluster's daemon is a target too
 * unless --registry points elsewhere.
 */
export async function openScraper(registry: Registry, home: string, registryFlag?: string, timeoutMs?: number, token?: string): Promise<Scraper> {
  const cluster = registryFlag ? undefined : readClusterFile(home);
  return new Scraper({registry, cluster, timeoutMs, token});
}
