import {Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import {withSpinner} from '../../src/cli/progress.js';
import {renderClusterStatus} from '../../src/cli/render/cluster.js';
import {clusterForeground, clusterUp, type ClusterStatus} from '../../src/runtime/index.js';
import {demoNames, parseDemos} from '../../src/runtime/instance-kinds.js';
import {parseDurationFlag} from '../../src/util/index.js';

export default class ClusterUp extends DialCommand {
  static override summary = 'Start the local cluster: registry daemon and demo instances';
  static override description = `Starts the cluster daemon in the background (a registry speaking Consul's HTTP API, with health checks), the message broker (its HTTP API, and Kafka's wire protocol on --kafka-port for kcat, kafkajs and any Kafka client) and the demo greeter instances, and returns when all are ready. If a cluster already runs in DIAL_HOME, reports it instead of starting another.`;
  static override examples = [
    {description: 'Start with three greeter instances on the default port 7500', command: '<%= config.bin %> cluster up'},
    {description: 'Any free port, five instances, JSON result', command: '<%= config.bin %> cluster up --port 0 --instances 5 --json'},
    {description: 'Only the gRPC and REST greeters (quicker start-up)', command: '<%= config.bin %> cluster up --port 0 --demos grpc,rest'},
    {description: 'Mutual TLS everywhere; dial services and dial call find the client certificate themselves', command: '<%= config.bin %> cluster up --tls'},
    {description: 'The Kafka listener on a port of your choice (kcat -b 127.0.0.1:19092 -L)', command: '<%= config.bin %> cluster up --port 0 --kafka-port 19092'},
    {description: 'Writes need an ACL token (reads stay open)', command: '<%= config.bin %> cluster up --port 0 --token s3cret'},
  ];
  static override flags = {
    port: Flags.integer({description: 'Registry API port (0 = any free port)', default: 7500, min: 0, max: 65535, env: 'DIAL_PORT'}),
    'kafka-port': Flags.integer({description: 'Port of the broker\'s Kafka listener (default 9092; any free port when --port is 0; 0 = any free port)', min: 0, max: 65535, env: 'DIAL_KAFKA_PORT'}),
    host: Flags.string({description: 'Address to bind (loopback unless you say otherwise)', default: '127.0.0.1'}),
    instances: Flags.integer({description: 'Number of demo greeter instances (gRPC)', default: 3, min: 0, max: 64}),
    demos: Flags.string({description: `Demo services to start, comma-separated: ${demoNames().join(', ')}; or all, none`, default: 'all', env: 'DIAL_DEMOS'}),
    timeout: Flags.string({description: 'How long to wait for readiness', default: '30s'}),
    foreground: Flags.boolean({description: 'Run the daemon in this terminal (logs on stderr); Ctrl-C stops it'}),
    tls: Flags.boolean({description: 'Mutual TLS: the registry API and every demo instance require client certificates from a cluster CA (made, or reused, in DIAL_HOME/tls/cluster)'}),
    token: Flags.string({description: 'ACL token: registry writes without it (X-Consul-Token or ?token=) get 403; saved to DIAL_HOME/token (0600) for local clients', env: 'DIAL_TOKEN'}),
    'token-reads': Flags.boolean({description: 'With --token: reads need the token too', dependsOn: ['token']}),
  };

  async run(): Promise<ClusterStatus & {started: boolean}> {
    const {flags} = await this.parse(ClusterUp);
    const timeoutMs = parseDurationFlag('timeout', flags.timeout);
    const tls = flags.tls ? await (await import('../../src/tls/cluster-tls.js')).ensureClusterTls(this.home, flags.host) : undefined;
    const opts = {home: this.home, host: flags.host, port: flags.port, kafkaPort: flags['kafka-port'], instances: flags.instances, demos: parseDemos(flags.demos), timeoutMs, tls,
      ...(flags.token ? {token: flags.token, tokenReads: flags['token-reads']} : {})};
    if (flags.foreground) {
      await clusterForeground(opts, this.signal);
      return {running: false, home: this.home, logFile: '', started: true};
    }
    const {started, status} = await withSpinner(this.out, `starting the cluster in ${this.home}`, (update) => clusterUp({...opts, onProgress: update}));
    if (!this.jsonEnabled()) {
      this.out.line(started ? this.out.color.green('cluster started') : this.out.color.yellow('cluster already running; left as it is'));
      this.out.line(renderClusterStatus(this.out, status));
      if (tls) this.out.line(`mutual TLS: CA ${tls.caFile}${tls.created.length ? ` (made now: ${tls.created.join(', ')})` : ' (reused)'}; client certificate ${tls.clientCertFile}`);
      if (started) this.out.line(`\nnext: ${this.config.bin} services   |   ${this.config.bin} call greeter helloworld.Greeter/SayHello -d '{"name":"ada"}'`);
    }
    return {started, ...status};
  }
}
