#!/usr/bin/env node
// `npm run bench [NAME...]`: runs benchmarks side by side with their anchors,
// prints medians and ratios, and writes bench/results.json.
import {writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {printTable} from './harness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ALL = ['startup', 'call', 'stream', 'txn', 'registry', 'broker', 'lb-sim', 'lb-pick', 'lb-bench', 'tls'];
const pick = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const runs = Number(process.env.BENCH_RUNS ?? 15);
const results = {date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, benches: {}};
for (const name of pick.length ? pick : ALL) {
  const mod = await import(`./${name}.mjs`);
  const r = await mod.default({root, runs});
  printTable(r.title, r.rows, r.target);
  results.benches[name] = r;
}
writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
process.stdout.write('\nwrote bench/results.json\n');
