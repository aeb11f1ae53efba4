import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';

export default class MetricsExport extends DialCommand {
  static override summary = 'Write the current samples as OpenTSDB, Prometheus text or JSON, or send them to a URL';
  static override description = `Scrapes every /metrics endpoint (or TARGET: daemon, a service, an instance; --match narrows metric names) and writes the samples to stdout: OpenTSDB's telnet-style "put" lines (instance and service become tags; names and tag values are reduced to OpenTSDB's alphabet), Prometheus text (all targets merged, with instance and service labels, as federation does), or JSON. With --to URL it sends them instead: OpenTSDB as /api/put JSON (POST; the path defaults to /api/put), Prometheus text to a Pushgateway (PUT; the path defaults to /metrics/job/dial), JSON by POST.`;
  static override examples = [
    {description: 'OpenTSDB put lines of the greeter request counters', command: "<%= config.bin %> metrics export --format opentsdb greeter --match '^dial_requests'"},
    {description: 'Everything as one Prometheus text document', command: '<%= config.bin %> metrics export --format prometheus > cluster.prom'},
    {description: 'Send to an OpenTSDB', command: '<%= config.bin %> metrics export --format opentsdb --to http://127.0.0.1:4242'},
  ];
  static override args = {
    target: Args.string({description: 'daemon, a service name, or an instance ID (default: all)'}),
  };
  static override flags = {
    ...registryFlags,
    format: Flags.string({char: 'f', description: 'Output format', options: ['opentsdb', 'prometheus', 'json'], default: 'prometheus'}),
    to: Flags.string({description: 'Send to this http(s) URL instead of printing'}),
    match: Flags.string({char: 'm', description: 'Only metric names matching this regular expression'}),
  };

  async run(): Promise<{url: string; status: number; samples: number} | void> {
    const {args, flags} = await this.parse(MetricsExport);
    const {openScraper, matchRegex, filterResult, renderExport, pushExport} = await import('../../src/metrics/index.js');
    const match = matchRegex(flags.match);
    const scraper = await openScraper(await this.openRegistry({url: flags.registry, token: flags.token}), this.home, flags.registry, undefined, flags.token);
    this.onFinally(() => scraper.close());
    const results = (await scraper.scrapeAll(await scraper.targets(args.target), this.signal)).map((r) => ({...r, families: filterResult(r, match).families}));
    for (const r of results) if (r.error) this.out.note(`skipped ${r.target.id}: ${r.error}`);
    const format = flags.format as 'opentsdb' | 'prometheus' | 'json';
    if (flags.to) {
      const sent = await pushExport(flags.to, format, results);
      this.out.note(`sent ${sent.samples} samples to ${sent.url} (HTTP ${sent.status})`);
      return sent;
    }
    process.stdout.write(renderExport(format, results).body);
  }
}
