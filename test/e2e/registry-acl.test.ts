/**
 * cluster up --token: writes without the token get 403 (X-Consul-Token or
 * ?token= let them through), reads stay open unless --token-reads; local
 * clients read DIAL_HOME/token; the token file and state files are 0600.
 */
import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {clusterSuite, runDial, startCluster} from '../helpers/cli.js';

interface Up {api: {url: string}}

describe('ACL token: cluster up --token', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  let url: string;
  before(async () => {
    url = (await startCluster(home, ['--instances', '1', '--token', 's3cret'])).json<Up>().api.url;
  });
  const put = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, {method: 'PUT', body: 'v', headers});

  it('writes need the token (header or ?token=); reads stay open', async () => {
    const denied = await put('/v1/kv/acl/a');
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /Permission denied.*X-Consul-Token/);
    assert.equal((await put('/v1/kv/acl/a', {'x-consul-token': 'wrong'})).status, 403);
    assert.equal((await put('/v1/kv/acl/a', {'x-consul-token': 's3cret'})).status, 200);
    assert.equal((await put('/v1/kv/acl/b?token=s3cret')).status, 200);
    const reg = await fetch(`${url}/v1/agent/service/register`, {method: 'PUT', body: JSON.stringify({Name: 'x', Port: 1})});
    assert.equal(reg.status, 403);
    assert.equal((await fetch(`${url}/v1/kv/acl/a`)).status, 200, 'reads are open');
    assert.equal((await fetch(`${url}/v1/health/service/greeter?passing`)).status, 200);
  });

  it('the demo instance registered itself with the token; local clients read DIAL_HOME/token', async () => {
    const d = await runDial(['discover', 'greeter', '--healthy', '--json'], {home});
    assert.equal(d.json<{instances: unknown[]}>().instances.length, 1);
    assert.equal((await runDial(['kv', 'put', 'acl/cli', 'x'], {home})).code, 0);
    assert.equal((await runDial(['cluster', 'status'], {home})).code, 0);
  });

  it('a client without the token gets exit 1 with a hint; --token or DIAL_TOKEN fixes it', async () => {
    const registry = ['--registry', `dial://${url.replace('http://', '')}`];
    const r = await runDial(['kv', 'put', 'acl/x', 'y', ...registry, '--json'], {home});
    assert.equal(r.code, 1);
    const e = r.json<{error: {code: string; hint: string}}>().error;
    assert.equal(e.code, 'ACL_DENIED');
    assert.match(e.hint, /--token or DIAL_TOKEN/);
    assert.equal((await runDial(['kv', 'put', 'acl/x', 'y', ...registry, '--token', 's3cret'], {home})).code, 0);
    assert.equal((await runDial(['register', 'svc', '--port', '1', ...registry], {home, env: {DIAL_TOKEN: 's3cret'}})).code, 0);
    assert.equal((await runDial(['discover', 'svc', ...registry], {home})).code, 0, 'reads need no token');
  });

  it('the token file and every state file are 0600', () => {
    assert.equal(readFileSync(join(home, 'token'), 'utf8').trim(), 's3cret');
    const files = readdirSync(home).filter((f) => statSync(join(home, f)).isFile());
    for (const f of ['token', 'cluster.json', 'state.db', 'state.db-wal', 'daemon.log']) assert.ok(files.includes(f), `${f} exists`);
    for (const f of files) assert.equal(statSync(join(home, f)).mode & 0o777, 0o600, `${f} is ${(statSync(join(home, f)).mode & 0o777).toString(8)}`);
  });
});

describe('ACL token with --token-reads (token from DIAL_TOKEN)', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  let url: string;
  before(async () => {
    url = (await runDial(['cluster', 'up', '--port', '0', '--instances', '0', '--token-reads', '--json'], {home, env: {DIAL_TOKEN: 'from-env'}})).json<Up>().api.url;
  });

  it('reads need the token too; local commands still work through the token file', async () => {
    assert.equal((await fetch(`${url}/v1/catalog/services`)).status, 403);
    assert.equal((await fetch(`${url}/v1/catalog/services`, {headers: {'x-consul-token': 'from-env'}})).status, 200);
    assert.equal((await fetch(`${url}/v1/catalog/services?token=from-env`)).status, 200);
    assert.equal((await runDial(['services'], {home})).code, 0);
    assert.equal((await runDial(['cluster', 'status', '--json'], {home})).json<{running: boolean}>().running, true);
  });

  it("the daemon's /metrics needs the token too, and dial metrics sends it", async () => {
    assert.equal((await fetch(`${url}/metrics`)).status, 403);
    const m = await runDial(['metrics', 'daemon', '--match', 'dial_registry_services', '--json'], {home});
    assert.equal(m.code, 0, m.stderr);
    const target = m.json<{targets: {id: string; error?: string}[]}>().targets[0];
    assert.deepEqual([target.id, target.error], ['daemon', undefined]);
    const wrong = await runDial(['metrics', 'daemon', '--token', 'nope', '--json'], {home});
    assert.equal(wrong.code, 1, 'a wrong token is refused (exit 1)');
  });
});
