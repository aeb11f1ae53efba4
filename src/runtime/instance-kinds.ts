import {usageError} from '../errors/index.js';
import {didYouMean} from '../util/index.js';
import {distEntry} from './entry-points.js';
import type {InstanceSpec} from './supervisor.js';

/**
 * The demo instance kinds the daemon starts. Each capability that adds a demo
 * (another protocol, the txn participants, ...) adds its kind here.
 */
export interface InstanceKind {
  kind: string;
  /** Registry service name the instance registers as. */
  service: string;
  protocol: string;
  /** Entry under src/ (compiled to dist/src/...). */
  entry: string;
  /** How many to start for `cluster up --instances N` (N applies to the main greeter). */
  count: (instances: number) => number;
  /** Name that `cluster up --demos` selects it by (default: kind). */
  demo?: string;
}

export const INSTANCE_KINDS: InstanceKind[] = [
  {kind: 'greeter-grpc', service: 'greeter', protocol: 'grpc', entry: 'demo/greeter/grpc-main.js', count: (n) => n, demo: 'grpc'},
  {kind: 'greeter-rest', service: 'greeter', protocol: 'rest', entry: 'demo/greeter/rest-main.js', count: () => 1, demo: 'rest'},
  {kind: 'greeter-msgpack', service: 'greeter', protocol: 'rest', entry: 'demo/greeter/rest-main.js', count: () => 1, demo: 'msgpack'},
  {kind: 'greeter-jsonrpc', service: 'greeter', protocol: 'json-rpc', entry: 'demo/greeter/json-rpc-main.js', count: () => 1, demo: 'json-rpc'},
  {kind: 'greeter-xmlrpc', service: 'greeter', protocol: 'xml-rpc', entry: 'demo/greeter/xml-rpc-main.js', count: () => 1, demo: 'xml-rpc'},
  {kind: 'greeter-soap', service: 'greeter', protocol: 'soap', entry: 'demo/greeter/soap-main.js', count: () => 1, demo: 'soap'},
  {kind: 'greeter-thrift', service: 'greeter', protocol: 'thrift', entry: 'demo/greeter/thrift-main.js', count: () => 1, demo: 'thrift'},
  {kind: 'showcase', service: 'showcase', protocol: 'grpc', entry: 'demo/showcase/main.js', count: () => 1, demo: 'showcase'},
];

/** The names `cluster up --demos` accepts (besides all and none). */
export function demoNames(): string[] {
  return [...new Set(INSTANCE_KINDS.map((k) => k.demo ?? k.kind))];
}

/**
 * Checks a `--demos` list (comma-separated names, `all`, or `none`) and
 * returns the selected names; undefined means all.
 */
export function parseDemos(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === 'all') return undefined;
  if (text.trim() === 'none') return [];
  const names = demoNames();
  const picked = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of picked) {
    if (!names.includes(p)) throw usageError(`unknown demo '${p}' in --demos${didYouMean(p, names)}`, `demos: ${names.join(', ')} (or all, none)`);
  }
  return picked;
}

/** The instance specs for a cluster with `instances` greeter instances and the chosen demos (default all). */
export function defaultInstanceSpecs(instances: number, demos?: string[]): InstanceSpec[] {
  const specs: InstanceSpec[] = [];
  for (const k of INSTANCE_KINDS) {
    if (demos && !demos.includes(k.demo ?? k.kind)) continue;
    const n = k.count(instances);
    for (let i = 1; i <= n; i++) specs.push({id: `${k.kind}-${i}`, kind: k.kind, entry: distEntry(k.entry)});
  }
  return specs;
}
