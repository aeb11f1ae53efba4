import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';
import {WatchPrinter} from '../src/cli/render/watch.js';
import {usageError} from '../src/errors/index.js';
import {diffInstances, diffServices, type ServiceInstance, type ServiceSummary} from '../src/registry/index.js';
import {abortAfter, parseDurationFlag} from '../src/util/index.js';

export default class Watch extends DialCommand {
  static override summary = 'Stream changes of a service (or of the service list) as they happen';
  static override description = `Prints the current instances of NAME (event "present"), then a row for each instance that is added, removed or changes health, until Ctrl-C or --timeout. --services watches the service list instead. Under --json each event is one JSON line (NDJSON). Uses blocking queries (Consul), watch streams (etcd) or watchers (ZooKeeper). Exit 3 when the registry goes away.`;
  static override examples = [
    {description: 'Follow the demo greeter', command: '<%= config.bin %> watch greeter'},
    {description: 'Service list changes for 30 seconds, as NDJSON', command: '<%= config.bin %> watch --services --timeout 30s --json'},
  ];
  static override args = {name: Args.string({description: 'Service name (or use --services)'})};
  static override flags = {
    ...registryFlags,
    services: Flags.boolean({description: 'Watch the service list instead of one service'}),
    timeout: Flags.string({description: 'Stop after this long (exit 0), e.g. 30s; default: until Ctrl-C'}),
  };

  /** The stream is NDJSON, so an error that ends it is one compact line too. */
  override logJson(json: unknown): void {
    process.stdout.write(JSON.stringify(json) + '\n');
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Watch);
    if (!args.name && !flags.services) throw usageError('watch needs a service NAME or --services', 'e.g. dial watch greeter');
    if (args.name && flags.services) throw usageError('give either NAME or --services, not both');
    const {signal, dispose} = abortAfter(this.signal, flags.timeout ? parseDurationFlag('timeout', flags.timeout) : undefined);
    this.onFinally(dispose);
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    const printer = new WatchPrinter(this.out);
    const emit = <E extends object>(events: E[], row: (e: E) => void) => {
      for (const e of events) {
        if (this.jsonEnabled()) this.out.ndjson(e);
        else row(e);
      }
    };
    // Once the first snapshot is out, say so on stderr (scripts and tests can wait for it).
    const watching = (what: string, empty: boolean) =>
      this.out.note(`watching ${what} at ${registry.url}${empty ? ' (nothing there yet)' : ''}; Ctrl-C stops`);
    if (flags.services) {
      let prev: ServiceSummary[] | undefined;
      for await (const snap of registry.watchServices({signal})) {
        emit(diffServices(prev, snap), (e) => printer.service(e));
        if (!prev) watching('the service list', snap.length === 0);
        prev = snap;
      }
    } else {
      let prev: ServiceInstance[] | undefined;
      for await (const snap of registry.watchService(args.name!, {signal})) {
        emit(diffInstances(prev, snap, args.name!), (e) => printer.instance(e));
        if (!prev) watching(`'${args.name}'`, snap.length === 0);
        prev = snap;
      }
    }
  }
}
