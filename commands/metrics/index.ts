import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import type {MetricsReport} from '../../src/metrics/index.js';

export default class Metrics extends DialCommand {
  static override summary = 'Scrape /metrics of the daemon and demo instances and show current values';
  static override description = `Finds every /metrics endpoint (the cluster daemon, and each instance that registered a metrics_port) and shows its samples in Prometheus terms. TARGET narrows it to "daemon", a service name, or an instance ID; --match keeps metric names matching a regular expression. Histograms show count, sum and estimated p50/p99.`;
  static override examples = [
    {description: 'Request counters of every greeter instance', command: "<%= config.bin %> metrics greeter --match '^dial_requests'"},
    {description: 'Registry size and write latency of the daemon', command: "<%= config.bin %> metrics daemon --match 'dial_registry'"},
    {description: 'Everything, as JSON', command: '<%= config.bin %> metrics --json'},
  ];
  static override args = {
    target: Args.string({description: 'daemon, a service name, or an instance ID (default: all)'}),
  };
  static override flags = {
    ...registryFlags,
    match: Flags.string({char: 'm', description: 'Only metric names matching this regular expression'}),
  };

  async run(): Promise<MetricsReport> {
    const {args, flags} = await this.parse(Metrics);
    const {openScraper, metricsReport, matchRegex} = await import('../../src/metrics/index.js');
    const match = matchRegex(flags.match);
    const scraper = await openScraper(await this.openRegistry({url: flags.registry, token: flags.token}), this.home, flags.registry, undefined, flags.token);
    this.onFinally(() => scraper.close());
    const report = await metricsReport(scraper, args.target, match, this.signal);
    const {renderMetrics} = await import('../../src/cli/render/metrics.js');
    this.log(renderMetrics(this.out, report));
    // Every scrape failed: nothing was read, so the command failed (exit 1), as a script needs to see.
    if (report.targets.length > 0 && report.targets.every((t) => t.error)) process.exitCode = 1;
    return report;
  }
}
