import {Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import type {SimulationReport} from '../../src/lb/simulator/index.js';

export default class LbSimulate extends DialCommand {
  static override summary = 'Simulate load-balancing strategies on a modelled set of backends';
  static override description = `A discrete-event simulation (its own clock; no wall time): requests arrive (Poisson or evenly spaced at --rate or --utilization, or a closed loop of --clients), each strategy routes them to backends with queues and service-time distributions, and the table compares latency percentiles, throughput, errors and load spread. Every strategy sees the same requests; the same --seed gives the same numbers.

Backends: a count, or 'NAME[*COUNT][:key=value,...];...' with keys w (weight), lat (mean service time), dist (exp|const|lognormal|pareto), sigma, alpha, conc (parallel servers), queue (max waiting), err (failure fraction), errlat, join and leave (a time like 2s or a share of the requests like 30%).`;
  static override examples = [
    {description: 'Every strategy on a slow backend', command: '<%= config.bin %> lb simulate --scenario slow-backend'},
    {description: 'Three strategies, own backends, 90% load', command: "<%= config.bin %> lb simulate --strategy p2c,round-robin,peak-ewma --backends 'a:w=3,lat=20ms;b:lat=10ms;c:lat=10ms,err=5%' --utilization 0.9"},
    {description: 'Hot keys with a ring of 40 vnodes, as CSV', command: '<%= config.bin %> lb simulate --scenario hot-keys --strategy ring:vnodes=40,bounded-load --csv'},
    {description: 'One strategy with charts, 1M requests', command: '<%= config.bin %> lb simulate --scenario slow-backend --strategy round-robin -n 1000000'},
  ];
  static override flags = {
    strategy: Flags.string({char: 's', description: "Strategies: 'all', or NAME[:key=value] separated by commas (see dial lb strategies)", default: 'all'}),
    scenario: Flags.string({description: 'A built-in workload', options: ['homogeneous', 'heterogeneous', 'slow-backend', 'failing-backend', 'churn', 'hot-keys']}),
    backends: Flags.string({char: 'b', description: "Backends: a count or 'a:w=3,lat=20ms;b:lat=10ms' (overrides the scenario's)"}),
    requests: Flags.integer({char: 'n', description: 'Requests to simulate', default: 100_000, min: 1, max: 20_000_000}),
    rate: Flags.string({description: 'Arrival rate, requests per simulated second'}),
    utilization: Flags.string({description: "Arrival rate as a share of the backends' capacity: 0.8 or 80%"}),
    clients: Flags.integer({description: 'Closed loop: this many clients, each sending again when its reply comes', min: 1}),
    arrival: Flags.string({description: 'Open-loop arrivals', options: ['poisson', 'constant']}),
    keys: Flags.integer({description: 'Distinct request keys (for the hashing strategies)', min: 1}),
    zipf: Flags.string({description: 'Zipf exponent of key popularity (0 = uniform)'}),
    seed: Flags.integer({description: 'Random seed: the same seed gives the same result', default: 1}),
    csv: Flags.boolean({description: 'Print the comparison as CSV'}),
    charts: Flags.boolean({description: 'Draw charts under the tables', default: true, allowNo: true}),
  };

  async run(): Promise<SimulationReport> {
    const {flags} = await this.parse(LbSimulate);
    const {buildSimConfig, runSimulation} = await import('../../src/lb/simulator/index.js');
    const {parseStrategies} = await import('../../src/lb/index.js');
    const {config, scenario} = buildSimConfig({
      scenario: flags.scenario, backends: flags.backends, requests: flags.requests, clients: flags.clients, seed: flags.seed,
      rate: flags.rate, utilization: flags.utilization, zipf: flags.zipf, keys: flags.keys,
      arrival: flags.arrival as 'poisson' | 'constant' | undefined,
    });
    const specs = parseStrategies(flags.strategy);
    const progress = this.out.progress;
    const report = runSimulation(config, specs, {scenario: scenario?.name, description: scenario?.description}, (r, n, of) => {
      if (progress) this.out.stderr.write(`\rsimulated ${r.strategy} (${n}/${of})\u001b[K${n === of ? '\r\u001b[K' : ''}`);
    });
    if (this.jsonEnabled()) return report;
    const {renderSimulation, simulationCsv} = await import('../../src/cli/render/simulate.js');
    this.log(flags.csv ? simulationCsv(report) : renderSimulation(this.out, report, flags.charts));
    return report;
  }
}
