#!/usr/bin/env node
// `npm run bench [NAME...]`: runs benchmarks side by side with their anchors,
// prints medians and ratios, and writes bench/results.json.
import {writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {compare, printTable} from './harness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ALL = ['startup', 'call', 'stream', 'memory', 'txn', 'registry', 'broker', 'lb-sim', 'lb-pick', 'lb-bench', 'tls'];
const pick = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const runs = Number(process.env.BENCH_RUNS ?? 15);
const results = {date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, benches: {}};

// NODE_EXTRA_CA_CERTS makes node read and parse that file (and its own root
// store) before any JavaScript runs: on a machine that sets it to the system
// bundle, every node process, dial or anchor, starts ~50 ms later. That is the
// machine's cost, not dial's, so the benches run without it unless
// BENCH_KEEP_EXTRA_CA=1; what it costs here is measured and printed first,
// and the start-up-bound benches time their node subjects both ways
// (harness.mjs: compare({bothCa: true}) reads BENCH_EXTRA_CA_FILE).
if (process.env.NODE_EXTRA_CA_CERTS && process.env.BENCH_KEEP_EXTRA_CA !== '1') {
  const without = {...process.env};
  delete without.NODE_EXTRA_CA_CERTS;
  const [withIt, withoutIt] = compare({
    anchor: {name: "node -e '' with NODE_EXTRA_CA_CERTS", cmd: process.execPath, args: ['-e', '']},
    subjects: [{name: "node -e '' without it", cmd: '/usr/bin/env', args: ['-u', 'NODE_EXTRA_CA_CERTS', process.execPath, '-e', '']}],
    runs: Math.min(runs, 9),
  });
  printTable(`NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS} is set: node start-up with and without it (the benches below run without it and print withCaMs/withCaRatio for start-up-bound figures; BENCH_KEEP_EXTRA_CA=1 keeps it)`, [withIt, withoutIt]);
  results.nodeExtraCaCerts = {file: process.env.NODE_EXTRA_CA_CERTS, withMs: withIt.medianMs, withoutMs: withoutIt.medianMs, removed: true};
  process.env.BENCH_EXTRA_CA_FILE = process.env.NODE_EXTRA_CA_CERTS;
  delete process.env.NODE_EXTRA_CA_CERTS;
}
for (const name of pick.length ? pick : ALL) {
  const mod = await import(`./${name}.mjs`);
  // A bench returns one table, or several: {tables: [...]} (broker: one per broker) or a table with {more: [...]} (txn: dial's own participants, then real databases)
  const r = await mod.default({root, runs});
  for (const t of r.tables ?? [r, ...(r.more ?? [])]) printTable(t.title, t.rows, t.target);
  results.benches[name] = r;
}
writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
process.stdout.write('\nwrote bench/results.json\n');
