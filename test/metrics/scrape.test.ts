import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {describe, it} from 'node:test';
import type {Registry} from '../../src/registry/index.js';
import {Scraper, type ScrapeTarget} from '../../src/metrics/scrape.js';

describe('Scraper', () => {
  it('scrapes many targets under one signal without MaxListenersExceededWarning, round after round', async () => {
    const server = createServer((_req, res) => res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'}).end('# TYPE up gauge\nup 1\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const scraper = new Scraper({registry: {} as unknown as Registry, timeoutMs: 2000});
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
      const targets: ScrapeTarget[] = Array.from({length: 15}, (_, i) => ({id: `t${i}`, service: 's', url, health: 'passing'}));
      const stop = new AbortController();
      for (let round = 0; round < 3; round++) {
        const results = await scraper.scrapeAll(targets, stop.signal);
        assert.equal(results.filter((r) => !r.error && r.families[0]?.name === 'up').length, 15);
      }
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings.filter((w) => /MaxListeners/.test(w)), []);
    } finally {
      process.off('warning', onWarning);
      await scraper.close();
      server.close();
    }
  });
});
