// Simulator speed: 1,000,000 requests over 10 backends (homogeneous, 80% load)
// per strategy, CPU time measured in-process. Target: under 2 s of CPU each.
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {round} from './harness.mjs';

export default async function lbSim({root}) {
  const {buildSimConfig, simulateStrategy} = await import(pathToFileURL(join(root, 'dist', 'src', 'lb', 'simulator', 'index.js')).href);
  const {parseStrategies} = await import(pathToFileURL(join(root, 'dist', 'src', 'lb', 'index.js')).href);
  const requests = Number(process.env.BENCH_SIM_REQUESTS ?? 1_000_000);
  const {config} = buildSimConfig({backends: 'b*10:lat=10ms', utilization: 0.8, requests, seed: 1});
  const rows = [];
  for (const spec of parseStrategies('all')) {
    const cpu0 = process.cpuUsage();
    simulateStrategy(config, spec);
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    rows.push({name: spec.label, medianMs: round(cpuMs), ratio: '', 'req/s': Math.round((requests / cpuMs) * 1000), ok: cpuMs < 2000 ? 'yes' : 'NO'});
  }
  return {title: `simulator: ${requests} requests over 10 backends, CPU time per strategy`, rows, target: 'under 2000 ms of CPU per strategy'};
}
