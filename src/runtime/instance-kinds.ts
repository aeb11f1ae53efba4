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
}

export const INSTANCE_KINDS: InstanceKind[] = [
  {kind: 'greeter-grpc', service: 'greeter', protocol: 'grpc', entry: 'demo/greeter/grpc-main.js', count: (n) => n},
];

/** The instance specs for a cluster with `instances` greeter instances. */
export function defaultInstanceSpecs(instances: number): InstanceSpec[] {
  const specs: InstanceSpec[] = [];
  for (const k of INSTANCE_KINDS) {
    const n = k.count(instances);
    for (let i = 1; i <= n; i++) specs.push({id: `${k.kind}-${i}`, kind: k.kind, entry: distEntry(k.entry)});
  }
  return specs;
}
