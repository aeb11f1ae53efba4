import {Args, Flags, type Interfaces} from '@oclif/core';
import {DialCommand, registryFlags} from '../../src/cli/index.js';
import type {CheckResult} from '../../src/metrics/check.js';
import {parseDurationFlag} from '../../src/util/index.js';

export default class Check extends DialCommand {
  static override summary = 'Check a service like a Nagios/Zabbix plugin: healthy instances, p99 latency, error rate';
  static override description = `A monitoring-system plugin. Reads the service's instances from the registry and samples their /metrics twice, --window apart, for the request rate, error rate and p99 latency. CRITICAL when fewer than --min-healthy instances pass their health checks, or p99 or the error rate exceed --max-p99 / --max-error-rate; WARNING when some instances are not passing or the --warn-* thresholds are exceeded; UNKNOWN when the check cannot run (no cluster, bad flags).

--format nagios (the default) prints one status line with perfdata and exits with the Nagios plugin codes 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. These exit codes deliberately differ from dial's usual ones (where 2 is a usage error and 3 unreachable): monitoring systems read them. --format json prints the whole result with the same exit codes. --format zabbix prints one value for a Zabbix item (--item: the state 0-3, healthy, rps, error_rate or p99_ms) and exits 0 whenever a value was printed; when the check cannot run it prints nothing on stdout (so no error reads as a value), the error on stderr, and exits non-zero (2 bad flags, 3 no cluster).`;
  static override examples = [
    {description: 'Nagios: at least 2 healthy greeters, p99 under 250 ms, under 1% errors', command: '<%= config.bin %> check greeter --min-healthy 2 --max-p99 250 --max-error-rate 0.01'},
    {description: 'A Zabbix item (UserParameter=dial.greeter.p99,dial check greeter --format zabbix --item p99_ms)', command: '<%= config.bin %> check greeter --format zabbix --item p99_ms'},
    {description: 'The measurement as JSON', command: '<%= config.bin %> check greeter --format json'},
  ];
  static override args = {
    service: Args.string({description: 'Service name in the registry', required: true}),
  };
  static override flags = {
    ...registryFlags,
    'min-healthy': Flags.integer({description: 'CRITICAL below this many passing instances', default: 1, min: 0}),
    'max-p99': Flags.string({description: 'CRITICAL when p99 latency exceeds this many ms'}),
    'max-error-rate': Flags.string({description: 'CRITICAL when the error rate (0..1) exceeds this'}),
    'warn-p99': Flags.string({description: 'WARNING when p99 latency exceeds this many ms'}),
    'warn-error-rate': Flags.string({description: 'WARNING when the error rate (0..1) exceeds this'}),
    window: Flags.string({description: 'How long to sample request metrics', default: '1s'}),
    format: Flags.string({description: 'Output for the monitoring system', options: ['nagios', 'zabbix', 'json'], default: 'nagios'}),
    item: Flags.string({description: 'zabbix: which value to print', options: ['state', 'healthy', 'rps', 'error_rate', 'p99_ms'], default: 'state'}),
  };

  async run(): Promise<CheckResult> {
    const {args, flags} = await this.parse(Check);
    const lib = await import('../../src/metrics/check-cli.js');
    const thresholds = lib.checkThresholds(flags);
    const windowMs = parseDurationFlag('window', flags.window);
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    const scraper = await lib.openScraper(registry, this.home, flags.registry, undefined, flags.token);
    this.onFinally(() => scraper.close());
    const r = await lib.runCheck(registry, scraper, args.service, thresholds, windowMs, this.signal);
    if (flags.format === 'zabbix' && !this.jsonEnabled()) this.out.line(lib.zabbixValue(r, flags.item as Parameters<typeof lib.zabbixValue>[1]));
    else if (flags.format === 'json' && !this.jsonEnabled()) this.out.line(JSON.stringify(r, null, 2));
    else if (!this.jsonEnabled()) this.out.line(r.line);
    process.exitCode = flags.format === 'zabbix' && !this.jsonEnabled() ? 0 : r.exitCode;
    return r;
  }

  /**
   * Every failure of the check itself (no cluster, bad flags) is UNKNOWN: exit 3 with a status line, as monitoring
   * systems expect. In zabbix format nothing goes to stdout (a Zabbix item must not read an error as a value): the
   * error goes to stderr with dial's exit code.
   */
  protected override async catch(err: Interfaces.CommandError): Promise<void> {
    const lib = await import('../../src/metrics/check-cli.js');
    const intent = lib.checkArgvIntent(this.argv, Check.flags);
    // `dial check bogus service:t2` reaches here (no check:bogus command): a mistyped subcommand, not a monitoring run.
    if (err.constructor?.name === 'UnexpectedArgsError' || err.name === 'UnexpectedArgsError') return super.catch(await mistypedSubcommand(intent.service ?? ''));
    if (intent.format === 'zabbix') return super.catch(err);
    const {Output, toDialError} = await import('../../src/cli/index.js');
    const out = this.out ?? new Output({noColor: true});
    const e = toDialError(err);
    const r = lib.unknownCheck(intent.service ?? 'service', e.message);
    if (intent.format === 'json' || this.argv.includes('--json')) out.line(JSON.stringify({...r, error: e.toJSON().error}, null, 2));
    else out.line(r.line);
    if (e.hint) out.note(`hint: ${e.hint}`);
    process.exitCode = lib.NAGIOS_EXIT.UNKNOWN;
  }
}

/** The usage error for `dial check WORD ARG` when WORD is not pass, warn or fail. */
async function mistypedSubcommand(word: string): Promise<Error> {
  const {usageError} = await import('../../src/errors/index.js');
  const {didYouMean} = await import('../../src/util/index.js');
  return usageError(
    `'${word}' is not a check command${didYouMean(word, ['pass', 'warn', 'fail'])}`,
    "report a TTL check with 'dial check pass|warn|fail CHECK_ID', or check a service with 'dial check SERVICE'",
  );
}
