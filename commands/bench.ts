import {commandStdin} from '../src/cli/stdin.js';
import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';
import {parseHeaderFlags} from '../src/cli/headers.js';
import {connectionFlags} from '../src/cli/rpc-flags.js';
import {transportOptions} from '../src/cli/rpc-options.js';
import {usageError} from '../src/errors/index.js';
import {availableParallelism} from 'node:os';
import {GhzCollector} from '../src/lb/real/ghz.js';
import type {LoadReport} from '../src/lb/real/index.js';
import {parseDurationFlag} from '../src/util/index.js';

export default class Bench extends DialCommand {
  static override summary = 'Load-test a unary gRPC method over the instances of a service (like ghz)';
  static override description = `Sends the same request -n times (or for --duration) with -c requests in flight, spread over the healthy instances of SERVICE by --lb (the instances are re-read every second, so kills and restarts show), or to HOST:PORT[,HOST:PORT...]. Prints throughput, latency percentiles and a histogram, the status of every response and the per-instance distribution; a progress bar on a terminal. --format json|pretty|csv prints ghz's JSON report or its per-request CSV instead. Exit code 0 even when calls fail: errors are part of the report.`;
  static override examples = [
    {description: '1000 calls, 20 at a time, round robin', command: `<%= config.bin %> bench greeter helloworld.Greeter/SayHello -d '{"name":"ada"}' -n 1000 -c 20`},
    {description: 'Ten seconds with P2C, at most 500 req/s', command: '<%= config.bin %> bench greeter SayHello --duration 10s --rps 500 --lb p2c'},
    {description: 'One address, as JSON', command: '<%= config.bin %> bench 127.0.0.1:50051 SayHello -n 5000 --json'},
    {description: "ghz's JSON report (durations in ns, per-request details), or its CSV rows", command: '<%= config.bin %> bench 127.0.0.1:50051 SayHello -n 500 --format json > ghz.json'},
  ];
  static override args = {
    target: Args.string({description: 'Service name from the registry, or HOST:PORT[,HOST:PORT...]', required: true}),
    method: Args.string({description: 'A unary method: pkg.Service/Method, Service/Method or Method', required: true}),
  };
  static override flags = {
    ...registryFlags,
    ...connectionFlags,
    data: Flags.string({char: 'd', description: 'Request JSON, @FILE, or @- for stdin', default: '{}'}),
    header: Flags.string({char: 'H', description: "Request metadata 'name: value' (repeatable)", multiple: true}),
    requests: Flags.integer({char: 'n', description: 'Requests to send (default 200)', min: 1, exclusive: ['duration']}),
    duration: Flags.string({char: 'z', description: 'Send for this long instead, e.g. 10s', exclusive: ['requests']}),
    concurrency: Flags.integer({char: 'c', description: 'Requests in flight at once', default: 50, min: 1, max: 10_000}),
    rps: Flags.integer({description: 'At most this many requests started per second', min: 1}),
    lb: Flags.string({description: 'Balancing strategy (see dial lb strategies)', default: 'round-robin'}),
    'lb-key': Flags.string({description: "Request key for the hashing strategies; {n} is the request number (default: the client's address)"}),
    retries: Flags.integer({description: 'Retry UNAVAILABLE on another instance up to N times', default: 0, min: 0, max: 10}),
    timeout: Flags.string({char: 't', description: 'Deadline per call', default: '20s'}),
    seed: Flags.integer({description: 'Seed of the balancer\'s random source', default: 1}),
    format: Flags.string({char: 'O', description: "summary (dial's), or ghz's shapes: json, pretty (indented json), csv (one row per request)", options: ['summary', 'json', 'pretty', 'csv'], default: 'summary'}),
  };

  async run(): Promise<LoadReport> {
    const {args, flags} = await this.parse(Bench);
    const {loadRequestData} = await import('../src/rpc/index.js');
    if (flags.unix) throw usageError('--unix is not supported here', 'give HOST:PORT targets');
    const messages = await loadRequestData(flags.data, commandStdin());
    if (messages.length !== 1) throw usageError(`-d: want exactly one request message, got ${messages.length}`);
    const {runLoad} = await import('../src/lb/real/index.js');
    const {progressBar} = await import('../src/cli/render/progress.js');
    if (flags.format !== 'summary' && this.jsonEnabled()) throw usageError(`--format ${flags.format} and --json both choose the output`, "give one: --json is dial's report, --format json ghz's");
    const ghz = flags.format === 'summary' ? undefined : new GhzCollector();
    const durationMs = flags.duration ? parseDurationFlag('duration', flags.duration) : undefined;
    if (durationMs === 0) throw usageError(`--duration: '${flags.duration}' sends nothing`, 'give a positive duration, e.g. 10s');
    const timeoutMs = parseDurationFlag('timeout', flags.timeout);
    const bar = this.out.progress ? progressBar(this.out.stderr) : undefined;
    const report = await runLoad({
      target: args.target, method: args.method, message: messages[0], headers: parseHeaderFlags(flags.header),
      strategy: flags.lb, requests: flags.duration ? undefined : (flags.requests ?? 200),
      durationMs,
      concurrency: flags.concurrency, rps: flags.rps, retries: flags.retries, key: flags['lb-key'], seed: flags.seed,
      timeoutMs, registry: () => this.openRegistry({url: flags.registry, token: flags.token}),
      transport: transportOptions(flags, `dial/${this.config.version}`), signal: this.signal, onProgress: bar?.update, onResult: ghz?.add,
    }).finally(() => bar?.stop());
    if (ghz && flags.format === 'csv') this.log(ghz.csv());
    else if (ghz) {
      const g = ghz.report(report, {data: messages[0], timeoutMs, requests: durationMs === undefined ? (flags.requests ?? 200) : undefined, durationMs, cpus: availableParallelism()});
      this.log(flags.format === 'pretty' ? JSON.stringify(g, null, 2) : JSON.stringify(g));
    } else if (!this.jsonEnabled()) {
      const {renderBench} = await import('../src/cli/render/bench.js');
      this.log(renderBench(this.out, report));
    }
    return report;
  }
}
