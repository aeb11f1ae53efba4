// pick() cost of the O(1) strategies, ns per pick (pick + observe, as the
// simulator and real calls use them), beside a plain array index as the floor.
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {round} from './harness.mjs';

export default async function lbPick({root}) {
  const {createBalancer, hashKey} = await import(pathToFileURL(join(root, 'dist', 'src', 'lb', 'index.js')).href);
  const N = 2_000_000;
  const endpoints = Array.from({length: 10}, (_, i) => ({id: `b${i + 1}`, weight: 1 + (i % 3)}));
  const hashes = Uint32Array.from({length: 4096}, (_, k) => hashKey(`key-${k}`));
  const time = (fn) => {
    for (let i = 0; i < N / 10; i++) fn(i);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) fn(i);
    return Number(process.hrtime.bigint() - t0) / N;
  };
  let sink = 0;
  const floor = time((i) => (sink += endpoints[i % endpoints.length].weight));
  const rows = [{name: 'array index (floor)', medianMs: '', ratio: '', 'ns/pick': round(floor, 1), anchor: true}];
  for (const name of ['round-robin', 'weighted-round-robin', 'random', 'weighted-random', 'hash', 'ring', 'maglev', 'p2c', 'peak-ewma']) {
    const b = createBalancer(name, endpoints);
    const ctx = {hash: 0};
    const ns = time((i) => {
      ctx.hash = hashes[i & 4095];
      const e = b.pick(ctx);
      b.observe(e, 'ok', 1);
    });
    rows.push({name, medianMs: '', ratio: round(ns / floor, 1), 'ns/pick': round(ns, 1), ok: ns < 1000 ? 'yes' : 'NO'});
  }
  if (sink < 0) console.log(sink);
  return {title: `balancer pick()+observe() over 10 endpoints, ${N} picks`, rows, target: 'well under 1000 ns per pick for the O(1) strategies (ring is O(log n), weighted round robin O(n))'};
}
