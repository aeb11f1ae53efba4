import {Args, Flags} from '@oclif/core';
import {DialCommand, registryFlags} from '../src/cli/index.js';
import {buildRegistration, checkIdsOf, type ServiceRegistration} from '../src/registry/index.js';

export default class Register extends DialCommand {
  static override summary = 'Register a service instance, with health checks';
  static override description = `Adds an instance of NAME to the registry (Consul's agent/service/register). Checks run in the registry: --check-http (2xx passing, 429 warning, else critical), --check-tcp, --check-grpc (gRPC health protocol), and --check-ttl (the instance reports with 'dial check pass'). A check starts critical until it first passes. On ZooKeeper the registration is an ephemeral znode: the command holds it until Ctrl-C (exit 130), or until someone else removes it ('dial deregister ID' in another shell, or the same ID registered again): it then says so and exits 0.`;
  static override examples = [
    {description: 'An HTTP service with a health endpoint', command: '<%= config.bin %> register web --address 127.0.0.1 --port 8080 --tag v2 --meta zone=a --check-http http://127.0.0.1:8080/health --interval 5s --timeout 1s'},
    {description: 'A TTL check the service keeps alive itself', command: '<%= config.bin %> register worker --port 9000 --id worker-1 --check-ttl 15s --deregister-after 1m'},
    {description: 'A gRPC service, checked with the gRPC health protocol', command: '<%= config.bin %> register billing --port 50051 --protocol grpc --weight 3 --check-grpc 127.0.0.1:50051'},
    {description: "A Thrift service (framed + binary), with its IDL for 'dial call calc Calculator.add' without --protocol", command: '<%= config.bin %> register calc --port 9090 --protocol thrift --meta thrift_idl=/srv/calc.thrift --meta thrift_transport=framed --check-tcp 127.0.0.1:9090'},
  ];
  static override args = {name: Args.string({description: 'Service name', required: true})};
  static override flags = {
    ...registryFlags,
    address: Flags.string({description: 'Address of the instance', default: '127.0.0.1'}),
    port: Flags.integer({description: 'Port of the instance', required: true, min: 0, max: 65535}),
    id: Flags.string({description: 'Instance ID (default: NAME)'}),
    tag: Flags.string({description: 'Tag (repeatable)', multiple: true}),
    meta: Flags.string({description: 'Metadata KEY=VALUE (repeatable)', multiple: true}),
    protocol: Flags.string({description: 'Protocol, stored in meta.protocol', options: ['grpc', 'http', 'jsonrpc', 'xmlrpc', 'soap', 'thrift']}),
    weight: Flags.integer({description: 'Load-balancing weight (meta.weight and Weights.Passing)', min: 1}),
    'check-http': Flags.string({description: 'HTTP check: GET this URL', helpGroup: 'CHECK'}),
    'check-tcp': Flags.string({description: 'TCP check: connect to HOST:PORT', helpGroup: 'CHECK'}),
    'check-grpc': Flags.string({description: 'gRPC health check: HOST:PORT[/service]', helpGroup: 'CHECK'}),
    'check-ttl': Flags.string({description: "TTL check: critical unless 'dial check pass' within this time (e.g. 15s)", helpGroup: 'CHECK'}),
    interval: Flags.string({description: 'How often HTTP/TCP/gRPC checks run', default: '10s', helpGroup: 'CHECK'}),
    timeout: Flags.string({description: 'Timeout of one HTTP/TCP/gRPC check (default: 10s)', helpGroup: 'CHECK'}),
    'deregister-after': Flags.string({description: 'Remove the instance after its checks stayed critical this long', helpGroup: 'CHECK'}),
  };

  async run(): Promise<{registry: string; id: string; service: string; address: string; port: number; checks: string[]; deregistered?: true}> {
    const {args, flags} = await this.parse(Register);
    const reg: ServiceRegistration = buildRegistration({
      name: args.name, address: flags.address, port: flags.port, id: flags.id, tags: flags.tag, meta: flags.meta,
      protocol: flags.protocol, weight: flags.weight, checkHttp: flags['check-http'], checkTcp: flags['check-tcp'],
      checkGrpc: flags['check-grpc'], checkTtl: flags['check-ttl'], interval: flags.interval, timeout: flags.timeout,
      deregisterAfter: flags['deregister-after'],
    });
    const registry = await this.openRegistry({url: flags.registry, token: flags.token});
    const id = await registry.register(reg);
    const checks = checkIdsOf(id, reg);
    this.log(`registered ${id} (${reg.name} at ${reg.address}:${reg.port})${checks.length ? `, checks: ${checks.join(', ')}` : ''}`);
    const result = {registry: registry.url, id, service: reg.name, address: reg.address, port: reg.port, checks};
    if (registry.sessionBound) {
      this.out.note(`${registry.url} keeps the registration while this process runs; Ctrl-C removes it`);
      const gone = registry.untilDeregistered
        ? await registry.untilDeregistered(id, this.signal)
        : await new Promise<boolean>((resolve) => this.signal.addEventListener('abort', () => resolve(false), {once: true}));
      if (gone) {
        this.out.note(`${id} was deregistered by another client (its registration is gone): nothing left to hold, exiting`);
        return {...result, deregistered: true};
      }
    }
    return result;
  }
}
