import {setTimeout as sleep} from 'node:timers/promises';
import type {Registry} from '../registry/index.js';

const RETRY_MS = 2_000;

/**
 * The registry's service names, for completion, kept current in the
 * background: a blocking query on the catalog (Consul's ?index=) wakes up as
 * soon as a service comes or goes. While no registry answers (no cluster yet)
 * it retries every two seconds, so `cluster up` inside the REPL is noticed.
 */
export class ServiceNames {
  names: string[] = [];
  private readonly abort = new AbortController();
  private running = false;

  constructor(private readonly open: () => Promise<Registry>, private readonly onChange: (names: string[]) => void) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  stop(): void {
    this.abort.abort();
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      let reg: Registry | undefined;
      try {
        reg = await this.open();
        for await (const services of reg.watchServices({signal})) this.update(services.map((s) => s.name));
      } catch {
        // No registry yet, or it went away: keep the last names and try again.
      } finally {
        await reg?.close().catch(() => undefined);
      }
      await sleep(RETRY_MS, undefined, {signal, ref: false}).catch(() => undefined);
    }
  }

  private update(names: string[]): void {
    const sorted = [...names].sort();
    if (sorted.join('\n') === this.names.join('\n')) return;
    this.names = sorted;
    this.onChange(sorted);
  }
}
