import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';
import {parseDurationFlag} from '../src/util/index.js';

const ALT_ON = '\x1b[?1049h\x1b[?25l';
const ALT_OFF = '\x1b[?25h\x1b[?1049l';
const HOME_CLEAR = '\x1b[H\x1b[2J';

export default class Top extends DialCommand {
  static override summary = 'Live view of the cluster: per instance rps, error rate, p50/p99 latency, in-flight, health';
  static override description = `Scrapes every /metrics endpoint (the daemon and each instance; or one service or instance) every --interval and shows, per target, requests per second, error rate, p50 and p99 latency (from histogram deltas between refreshes), requests in flight and registry health, with a sparkline of the recent request rate. Full screen on a terminal; q or Ctrl-C quits. When stdout is not a terminal it prints one plain line per target at each refresh (NDJSON with --json).`;
  static override examples = [
    {description: 'Watch the whole cluster', command: '<%= config.bin %> top'},
    {description: 'Only the greeter instances, three refreshes as plain lines', command: '<%= config.bin %> top greeter -n 3 | cat'},
  ];
  static override args = {
    target: Args.string({description: 'daemon, a service name, or an instance ID (default: all)'}),
  };
  static override flags = {
    ...registryFlags,
    interval: Flags.string({char: 'i', description: 'Time between refreshes', default: '1s'}),
    iterations: Flags.integer({char: 'n', description: 'Stop after this many refreshes', min: 1}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Top);
    const intervalMs = Math.max(100, parseDurationFlag('interval', flags.interval));
    const {openScraper, TopModel} = await import('../src/metrics/index.js');
    const {renderTopFrame, renderTopLines} = await import('../src/cli/render/top.js');
    const scraper = await openScraper(await this.openRegistry({url: flags.registry, token: flags.token}), this.home, flags.registry, Math.min(2000, intervalMs), flags.token);
    this.onFinally(() => scraper.close());
    await scraper.targets(args.target);
    const model = new TopModel();
    const stdout = process.stdout;
    const screen = Boolean(stdout.isTTY) && !this.jsonEnabled();
    const stop = new AbortController();
    this.signal.addEventListener('abort', () => stop.abort(), {once: true});
    if (screen) this.enterScreen(stop);
    const refresh = async () => {
      const targets = await scraper.targets(args.target).catch(() => []);
      return model.update(await scraper.scrapeAll(targets, stop.signal).catch(() => []));
    };
    try {
      // A first scrape is the baseline: rates need two.
      let rows = await refresh();
      if (screen) stdout.write(HOME_CLEAR + renderTopFrame(this.out, rows, {at: new Date(), intervalMs, width: stdout.columns ?? 120, height: stdout.rows ?? 30, select: args.target}));
      for (let i = 0; !stop.signal.aborted && (flags.iterations === undefined || i < flags.iterations); i++) {
        await sleep(intervalMs, stop.signal);
        if (stop.signal.aborted) break;
        rows = await refresh();
        const at = new Date();
        if (screen) stdout.write(HOME_CLEAR + renderTopFrame(this.out, rows, {at, intervalMs, width: stdout.columns ?? 120, height: stdout.rows ?? 30, select: args.target}));
        else if (this.jsonEnabled()) this.out.ndjson({at: at.toISOString(), rows});
        else this.out.line(renderTopLines(rows, at));
      }
    } finally {
      if (screen) this.leaveScreen();
    }
    if (this.signal.aborted || stop.signal.aborted) process.exitCode = 0;
  }

  private onKey?: (d: Buffer) => void;

  /** Alternate screen, hidden cursor, raw keys: q or Ctrl-C stop. */
  private enterScreen(stop: AbortController): void {
    process.stdout.write(ALT_ON);
    const stdin = process.stdin;
    if (stdin.isTTY) {
      stdin.setRawMode(true);
      stdin.resume();
      this.onKey = (d: Buffer) => {
        const k = d.toString();
        if (k === 'q' || k === 'Q' || k === '\x03' || k === '\x1b') stop.abort();
      };
      stdin.on('data', this.onKey);
    }
  }

  private leaveScreen(): void {
    process.stdout.write(ALT_OFF);
    const stdin = process.stdin;
    if (this.onKey) stdin.off('data', this.onKey);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    // The listener goes when the time is up: one per refresh would pile up on the signal.
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, {once: true});
  });
}
