import type {ScrapeResult} from './scrape.js';
import {snapshot, statsBetween, type Snapshot, type TargetStats} from './stats.js';

/** One row of `dial top`: a target with its rates over the last refresh and its recent request rates. */
export interface TopRow {
  id: string;
  service: string;
  health: string;
  up: boolean;
  error?: string;
  stats: TargetStats;
  /** Requests per second of the last refreshes, oldest first (for a sparkline). */
  history: number[];
}

/**
 * The state behind `dial top`: remembers each target's previous scrape and
 * its rate history, and turns a new round of scrapes into rows (rates from
 * counter and histogram deltas).
 */
export class TopModel {
  private readonly prev = new Map<string, Snapshot>();
  private readonly history = new Map<string, number[]>();

  constructor(private readonly historyLength = 40) {}

  update(results: ScrapeResult[]): TopRow[] {
    const rows = results.map((r) => {
      const cur = snapshot(r);
      const stats = statsBetween(this.prev.get(r.target.id), cur);
      if (cur.up) this.prev.set(r.target.id, cur);
      const h = this.history.get(r.target.id) ?? [];
      if (stats.rps !== undefined) h.push(stats.rps);
      while (h.length > this.historyLength) h.shift();
      this.history.set(r.target.id, h);
      return {id: r.target.id, service: r.target.service, health: r.target.health, up: cur.up, ...(r.error ? {error: r.error} : {}), stats, history: [...h]};
    });
    const live = new Set(results.map((r) => r.target.id));
    for (const id of [...this.prev.keys()]) if (!live.has(id)) this.prev.delete(id);
    return rows.sort((a, b) => (a.id === 'daemon' ? -1 : b.id === 'daemon' ? 1 : a.service.localeCompare(b.service) || a.id.localeCompare(b.id)));
  }
}

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of `values` scaled to their maximum (at least 1), `width` characters, newest right. */
export function sparkline(values: number[], width: number): string {
  const v = values.slice(-width);
  const max = Math.max(1, ...v);
  return v.map((x) => BARS[Math.min(BARS.length - 1, Math.round((x / max) * (BARS.length - 1)))]).join('').padStart(width, ' ');
}
