// Registry throughput: registrations/s and discover queries/s against the
// embedded daemon, sequentially and with 16 concurrent clients, side by side
// with etcd (puts and prefix range reads of the same data through the same
// undici client),
// started here from the Debian package when installed. Both acknowledge a
// write only once it is fsynced (dial: SQLite WAL + fdatasync, group commit;
// etcd: its WAL, batched).
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Agent, request} from 'undici';
import {startEtcd} from './etcd.mjs';
import {round} from './harness.mjs';

const DURATION_MS = Number(process.env.BENCH_REGISTRY_MS ?? 3000);
const b64 = (s) => Buffer.from(s).toString('base64');

/** Runs `op(i)` from `clients` loops for DURATION_MS; returns operations per second. */
async function throughput(clients, op) {
  const deadline = performance.now() + DURATION_MS;
  let done = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({length: clients}, async (_, c) => {
    for (let i = c; performance.now() < deadline; i += clients) {
      await op(i);
      done++;
    }
  }));
  return done / ((performance.now() - t0) / 1000);
}

async function call(dispatcher, method, url, body) {
  const res = await request(url, {method, body, dispatcher, headers: body ? {'content-type': 'application/json'} : {}});
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${text}`);
  return text;
}

export default async function registry({root}) {
  const home = mkdtempSync(join(tmpdir(), 'dial-bench-'));
  const bin = join(root, 'bin', 'run.js');
  const env = {...process.env, DIAL_HOME: home, NO_COLOR: '1', DIAL_TOKEN: ''};
  const dispatcher = new Agent({connections: 16, pipelining: 1});
  const etcd = await startEtcd().catch((e) => `etcd failed to start: ${e.message}`);
  try {
    const up = JSON.parse(execFileSync(process.execPath, [bin, 'cluster', 'up', '--port', '0', '--instances', '0', '--demos', 'none', '--json'], {env}).toString());
    const dial = up.api.url;
    const register = (i) => call(dispatcher, 'PUT', `${dial}/v1/agent/service/register`,
      JSON.stringify({ID: `bench-${i % 500}`, Name: 'bench', Address: '127.0.0.1', Port: 10000 + (i % 500), Tags: ['bench'], Meta: {n: String(i)}}));
    // Reads go to a service of 10 instances (writes cycle through 500 IDs of another one).
    for (let i = 0; i < 10; i++) {
      await call(dispatcher, 'PUT', `${dial}/v1/agent/service/register`, JSON.stringify({ID: `read-${i}`, Name: 'bench-read', Address: '127.0.0.1', Port: 20000 + i, Tags: ['bench']}));
    }
    const discover = () => call(dispatcher, 'GET', `${dial}/v1/health/service/bench-read?passing`);
    const etcdUrl = typeof etcd === 'string' ? undefined : `http://${etcd.hostPort}`;
    const put = (i) => call(dispatcher, 'POST', `${etcdUrl}/v3/kv/put`, JSON.stringify({key: b64(`dial/services/bench/bench-${i % 500}`), value: b64(JSON.stringify({id: `bench-${i % 500}`, name: 'bench', address: '127.0.0.1', port: 10000 + (i % 500), meta: {n: String(i)}}))}));
    const range = () => call(dispatcher, 'POST', `${etcdUrl}/v3/kv/range`, JSON.stringify({key: b64('dial/services/bench-read/'), range_end: b64('dial/services/bench-read0')}));

    const rows = [];
    const measure = async (name, clients, op, anchorOps) => {
      const ops = await throughput(clients, op);
      rows.push({name, opsPerSec: Math.round(ops), ...(anchorOps ? {vsEtcd: round(ops / anchorOps, 2)} : {}), anchor: !anchorOps && name.startsWith('etcd')});
      return ops;
    };
    for (const clients of [1, 16]) {
      const label = clients === 1 ? 'sequential' : `${clients} clients`;
      let etcdPut;
      let etcdRange;
      if (etcdUrl) {
        for (let i = 0; i < 10; i++) {
          await call(dispatcher, 'POST', `${etcdUrl}/v3/kv/put`, JSON.stringify({key: b64(`dial/services/bench-read/read-${i}`), value: b64(JSON.stringify({id: `read-${i}`, name: 'bench-read', address: '127.0.0.1', port: 20000 + i}))}));
        }
        etcdPut = await measure(`etcd put (${label})`, clients, put);
      }
      await measure(`dial register (${label})`, clients, register, etcdPut);
      if (etcdUrl) etcdRange = await measure(`etcd range by prefix (${label})`, clients, range);
      await measure(`dial discover (${label})`, clients, discover, etcdRange);
    }
    const get = (n) => rows.find((r) => r.name === n)?.opsPerSec ?? 0;
    const writeRatio = etcdUrl ? round(get('dial register (16 clients)') / get('etcd put (16 clients)'), 2) : undefined;
    return {
      title: `registry throughput, ops/s over ${DURATION_MS / 1000}s each${etcdUrl ? '' : ` (${etcd})`}`,
      rows: rows.map((r) => ({name: r.name, medianMs: undefined, ratio: r.vsEtcd, ...r})),
      target: `dial register (16 clients) >= etcd put (16 clients)${writeRatio !== undefined ? ` [ratio ${writeRatio}]` : ''}; dial discover (16 clients) >= 5000/s [${get('dial discover (16 clients)')}/s]`,
    };
  } finally {
    await dispatcher.close();
    execFileSync(process.execPath, [bin, 'cluster', 'down'], {env});
    rmSync(home, {recursive: true, force: true});
    if (typeof etcd !== 'string') await etcd.stop();
  }
}
