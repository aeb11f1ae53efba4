/**
 * Durability and input hardening of the cluster daemon, as a user runs it:
 * a write storm with a SIGKILL of the daemon at a random (seeded) moment,
 * then a restart that must hold every acknowledged write; and >= 1,000
 * generated malformed requests that must all get a 4xx with a message while
 * the daemon keeps answering correctly.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {Agent, request} from 'undici';
import {isAlive, runDial, startCluster, tempHome} from '../helpers/cli.js';
import {malformedRequests, mulberry32, RAW_TARGETS} from '../helpers/malformed.js';
import {connect} from 'node:net';
import {Readable} from 'node:stream';

interface Up {pid: number; api: {url: string}}
const SEED = Number(process.env.DIAL_TEST_SEED ?? 20261125);

/** A body as 64 KiB chunks, so undici sends it chunked (no Content-Length). */
async function* chunksOf(body: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < body.length; at += 64 * 1024) yield body.subarray(at, at + 64 * 1024);
}


describe('cluster daemon: durability and input hardening', () => {
  it('a write storm with kill -9 at a random moment loses no acknowledged write', async (t) => {
    const home = tempHome(t);
    const up = (await startCluster(home, ['--instances', '0'])).json<Up>();
    const rand = mulberry32(SEED);
    // The kill lands at a random point of the storm: after a seeded number of acknowledged writes, plus a seeded delay.
    const killAfterAcks = 100 + Math.floor(rand() * 300);
    const killDelayMs = Math.floor(rand() * 40);
    const dispatcher = new Agent({connections: 32});
    const ackedKv = new Map<string, string>();
    const ackedServices = new Set<string>();
    let dead = false;
    const worker = async (w: number) => {
      for (let i = 0; !dead && i < 100_000; i++) {
        const n = `${w}-${i}`;
        try {
          if (i % 4 === 3) {
            const res = await request(`${up.api.url}/v1/agent/service/register`, {
              method: 'PUT', dispatcher, body: JSON.stringify({ID: `storm-${n}`, Name: `storm-${w}`, Port: 1000 + i, Tags: [`t${i}`], Check: {TTL: '1h'}}),
            });
            await res.body.text();
            if (res.statusCode === 200) ackedServices.add(`storm-${n}`);
          } else {
            const value = `v-${n}-${Math.floor(rand() * 1e9)}`;
            const res = await request(`${up.api.url}/v1/kv/storm/${n}`, {method: 'PUT', dispatcher, body: value});
            if ((await res.body.text()) === 'true' && res.statusCode === 200) ackedKv.set(`storm/${n}`, value);
          }
        } catch {
          dead = true;
        }
      }
    };
    const killer = (async () => {
      const deadline = Date.now() + 60_000;
      while (ackedKv.size + ackedServices.size < killAfterAcks && !dead && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, killDelayMs));
      process.kill(up.pid, 'SIGKILL');
    })();
    await Promise.all([killer, ...Array.from({length: 16}, (_, w) => worker(w))]);
    await dispatcher.close();
    assert.ok(ackedKv.size + ackedServices.size >= killAfterAcks, `the storm acknowledged only ${ackedKv.size + ackedServices.size} writes before the kill`);
    t.diagnostic(`seed ${SEED}: kill -9 after ${killAfterAcks} acknowledged writes + ${killDelayMs}ms; ${ackedKv.size} KV writes and ${ackedServices.size} registrations acknowledged in all`);

    const again = (await startCluster(home, ['--instances', '0'])).json<Up>();
    assert.notEqual(again.pid, up.pid);
    const kv = (await (await fetch(`${again.api.url}/v1/kv/storm/?recurse`)).json()) as {Key: string; Value: string}[];
    const stored = new Map(kv.map((e) => [e.Key, Buffer.from(e.Value, 'base64').toString()]));
    const lostKv = [...ackedKv].filter(([k, v]) => stored.get(k) !== v);
    assert.deepEqual(lostKv, [], `${lostKv.length} acknowledged KV writes lost or changed`);
    const services = (await (await fetch(`${again.api.url}/v1/agent/services`)).json()) as Record<string, unknown>;
    const lostServices = [...ackedServices].filter((id) => !(id in services));
    assert.deepEqual(lostServices, [], `${lostServices.length} acknowledged registrations lost`);
    await runDial(['cluster', 'down'], {home});
  });

  it('>= 1,000 generated malformed requests each get a 4xx with a message; the daemon still answers correctly', async (t) => {
    const home = tempHome(t);
    const up = (await startCluster(home, ['--instances', '0'])).json<Up>();
    const dispatcher = new Agent({connections: 8});
    const cases = malformedRequests(mulberry32(SEED), 1200);
    assert.ok(cases.length >= 1000);
    const wrong: string[] = [];
    const byStatus = new Map<number, number>();
    for (let i = 0; i < cases.length; i += 8) {
      await Promise.all(cases.slice(i, i + 8).map(async (c) => {
        let status: number;
        let text: string;
        let connection: unknown;
        try {
          const body = c.chunked && c.body !== undefined ? Readable.from(chunksOf(Buffer.from(c.body))) : c.body;
          const res = await request(`${up.api.url}${c.path}`, {method: c.method as 'PUT', dispatcher, body, headers: c.headers});
          status = res.statusCode;
          connection = res.headers.connection;
          text = await res.body.text();
        } catch (e) {
          wrong.push(`${c.label}: ${c.method} ${c.path.slice(0, 80)} -> ${(e as Error).message}`);
          return;
        }
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        const ok = c.expect ? status === c.expect : status >= 400 && status < 500;
        if (c.chunked && connection !== 'close') wrong.push(`${c.label}: a 413 for an unread chunked body must close the connection`);
        if (!ok || text.trim() === '') wrong.push(`${c.label}: ${c.method} ${c.path.slice(0, 80)} -> ${status} ${JSON.stringify(text.slice(0, 100))}`);
      }));
    }
    await dispatcher.close();
    const port = Number(new URL(up.api.url).port);
    for (const target of RAW_TARGETS) {
      const line = await new Promise<string>((resolve) => {
        const s = connect(port, '127.0.0.1', () => s.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
        let got = '';
        s.on('data', (d: Buffer) => (got += d.toString()));
        s.on('close', () => resolve(got.split('\r\n')[0]));
        s.on('error', (e) => resolve(e.message));
      });
      if (!/^HTTP\/1\.1 4\d\d /.test(line)) wrong.push(`raw target ${JSON.stringify(target)} -> ${line}`);
    }
    t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries(byStatus))}`);
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} of ${cases.length} malformed requests were not answered with a 4xx and a message`);
    assert.ok(isAlive(up.pid), 'the daemon died');
    const reg = await runDial(['register', 'after-fuzz', '--port', '7', '--json'], {home});
    assert.equal(reg.code, 0, reg.stderr);
    const found = (await runDial(['discover', 'after-fuzz', '--json'], {home})).json<{instances: {port: number}[]}>();
    assert.deepEqual(found.instances.map((i) => i.port), [7]);
    assert.equal((await runDial(['kv', 'put', 'after/fuzz', 'ok'], {home})).code, 0);
    assert.equal((await runDial(['kv', 'get', 'after/fuzz'], {home})).stdout, 'ok\n');
    await runDial(['cluster', 'down'], {home});
  });
});
