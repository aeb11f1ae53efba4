import {usageError} from '../../errors/index.js';
import {didYouMean} from '../../util/index.js';
import type {ArrivalSpec, KeySpec} from './types.js';

/** A named workload for `dial lb simulate --scenario`. */
export interface Scenario {
  name: string;
  description: string;
  /** --backends text. */
  backends: string;
  arrival: ArrivalSpec;
  keys: KeySpec;
}

const UNIFORM: KeySpec = {count: 10_000, zipf: 0};

export const SCENARIOS: Scenario[] = [
  {
    name: 'homogeneous', description: '10 identical M/M/1 backends (10ms mean) at 80% load',
    backends: 'b*10:lat=10ms', arrival: {kind: 'poisson', utilization: 0.8}, keys: UNIFORM,
  },
  {
    name: 'heterogeneous', description: '5 fast (5ms, weight 2) and 5 slow heavy-tailed (10ms lognormal, weight 1) backends at 80% load',
    backends: 'fast*5:lat=5ms,w=2;slow*5:lat=10ms,dist=lognormal,sigma=1', arrival: {kind: 'poisson', utilization: 0.8}, keys: UNIFORM,
  },
  {
    name: 'slow-backend', description: '5 backends, one at a quarter of the speed (40ms instead of 10ms), at 80% load',
    backends: 'b*4:lat=10ms;slow:lat=40ms', arrival: {kind: 'poisson', utilization: 0.8}, keys: UNIFORM,
  },
  {
    name: 'failing-backend', description: '5 backends, one failing every request fast (1ms), at 70% load',
    backends: 'b*4:lat=10ms;bad:lat=10ms,err=1,errlat=1ms', arrival: {kind: 'poisson', utilization: 0.7}, keys: UNIFORM,
  },
  {
    name: 'churn', description: '10 backends at 70% load; b10 leaves after 30% of the requests, b11 joins after 60%',
    backends: 'b*9:lat=10ms;b10:lat=10ms,leave=30%;b11:lat=10ms,join=60%', arrival: {kind: 'poisson', utilization: 0.7}, keys: UNIFORM,
  },
  {
    name: 'hot-keys', description: '10 backends at 50% load, keys Zipf-distributed (s=1: the top key has 10% of requests)',
    backends: 'b*10:lat=10ms', arrival: {kind: 'poisson', utilization: 0.5}, keys: {count: 10_000, zipf: 1},
  },
];

export function findScenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw usageError(`unknown scenario '${name}'${didYouMean(name, SCENARIOS.map((x) => x.name))}`, `scenarios: ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}
