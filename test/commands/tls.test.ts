import assert from 'node:assert/strict';
import {statSync} from 'node:fs';
import {join} from 'node:path';
import {after, describe, it} from 'node:test';
import {runDial, tempHome} from '../helpers/cli.js';

describe('dial tls commands', {concurrency: false}, () => {
  const home = tempHome();
  after(() => import('node:fs').then((fs) => fs.rmSync(home, {recursive: true, force: true})));
  const tls = join(home, 'tls');

  it('ca create, issue, inspect, verify: human output names the files; --json has the typed result', async () => {
    const ca = await runDial(['tls', 'ca', 'create'], {home});
    assert.equal(ca.code, 0, ca.stderr);
    assert.match(ca.stdout, /created root CA "dial CA"/);
    assert.match(ca.stdout, new RegExp(`private key +${join(tls, 'dial-ca', 'ca-key.pem')}  \\(0600\\)`));
    const issue = await runDial(['tls', 'issue', 'localhost', '--ip', '127.0.0.1', '--json'], {home});
    assert.equal(issue.code, 0, issue.stderr);
    const r = issue.json<{files: {cert: string; key: string}; sans: string[]; serial: string; profile: string}>();
    assert.deepEqual(r.sans, ['IP:127.0.0.1']);
    assert.equal(r.profile, 'server');
    assert.equal(r.files.cert, join(tls, 'certs', 'localhost.pem'));
    assert.equal(statSync(r.files.key).mode & 0o777, 0o600);
    const inspect = await runDial(['tls', 'inspect', r.files.cert, '--key', r.files.key], {home});
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.match(inspect.stdout, /certificate 1 of 1 \(leaf\)/);
    assert.match(inspect.stdout, /names +IP:127\.0\.0\.1/);
    assert.match(inspect.stdout, /valid +.* \(36[45] days left\)/);
    assert.match(inspect.stdout, /ext\. usage +serverAuth/);
    assert.match(inspect.stdout, /private key: ECDSA P-256, matches certificate 1/);
    const ok = await runDial(['tls', 'verify', r.files.cert, '--ca', join(tls, 'dial-ca'), '--host', '127.0.0.1', '--purpose', 'server'], {home});
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /^OK: CN=localhost/);
    const bad = await runDial(['tls', 'verify', r.files.cert, '--ca', join(tls, 'dial-ca'), '--host', 'example.com', '--json'], {home});
    assert.equal(bad.code, 1);
    const j = bad.json<{ok: boolean; code: string; reason: string}>();
    assert.deepEqual([j.ok, j.code], [false, 'HOST_MISMATCH']);
  });

  it('refuses to overwrite without --force (exit 1), bad flags are usage errors (exit 2)', async () => {
    const again = await runDial(['tls', 'issue', 'localhost', '--ip', '127.0.0.1'], {home});
    assert.equal(again.code, 1);
    assert.match(again.stderr, /refusing to overwrite .*localhost-key\.pem/);
    assert.match(again.stderr, /hint: +pass --force/);
    assert.equal((await runDial(['tls', 'issue', 'localhost', '--ip', '127.0.0.1', '--force'], {home})).code, 0);
    const badIp = await runDial(['tls', 'issue', 'x', '--ip', 'nope', '--json'], {home});
    assert.equal(badIp.code, 2);
    assert.match(badIp.json<{error: {message: string}}>().error.message, /'nope' is not an IP address for --ip/);
    const both = await runDial(['tls', 'issue', 'x', '--client', '--server'], {home});
    assert.equal(both.code, 2);
    const noCa = await runDial(['tls', 'issue', 'x', '--client', '--ca', join(home, 'nope')], {home});
    assert.equal(noCa.code, 2);
    assert.match(noCa.stderr, /no CA in .*nope/);
  });

  it('intermediate, client cert, revoke, crl, verify --crl, export --p12 and inspect of the bundle', async () => {
    const int = await runDial(['tls', 'ca', 'intermediate', '--name', 'issuing', '--json'], {home});
    assert.equal(int.code, 0, int.stderr);
    assert.equal(int.json<{pathLen: number}>().pathLen, 0);
    const alice = (await runDial(['tls', 'issue', 'alice', '--ca', join(tls, 'issuing'), '--client', '--email', 'alice@example.test', '--uri', 'spiffe://example.test/alice', '--json'], {home})).json<{files: {cert: string; fullchain: string}; serial: string}>();
    const rev = await runDial(['tls', 'revoke', alice.files.cert, '--ca', join(tls, 'issuing'), '--reason', 'superseded'], {home});
    assert.equal(rev.code, 0, rev.stderr);
    assert.match(rev.stdout, new RegExp(`revoked serial ${alice.serial} \\(CN=alice\\)`));
    const crl = await runDial(['tls', 'crl', '--ca', join(tls, 'issuing'), '--json'], {home});
    assert.equal(crl.json<{crlNumber: number}>().crlNumber, 2);
    const v = await runDial(['tls', 'verify', alice.files.fullchain, '--ca', join(tls, 'dial-ca'), '--purpose', 'client', '--crl', join(tls, 'issuing', 'crl.pem')], {home});
    assert.equal(v.code, 1);
    assert.match(v.stdout, /FAILED: CN=alice \(serial [0-9a-f]+\) was revoked by CN=issuing on .*reason superseded/);
    const p12 = await runDial(['tls', 'export', alice.files.cert, '--p12', '--password', 's3cret'], {home});
    assert.equal(p12.code, 0, p12.stderr);
    assert.match(p12.stdout, /wrote .*alice\.p12 +\(PKCS#12: CN=alice, 2 certificate\(s\)/);
    const bundle = join(tls, 'certs', 'alice.p12');
    assert.equal(statSync(bundle).mode & 0o777, 0o600);
    const p12Json = await runDial(['tls', 'export', alice.files.cert, '--p12', '--out', join(tls, 'again.p12'), '--json'], {home});
    assert.equal(p12Json.code, 0, p12Json.stderr);
    assert.equal(p12Json.json<{file: string}>().file, join(tls, 'again.p12'), 'stdout is one JSON document');
    const wrong = await runDial(['tls', 'inspect', bundle, '--password', 'nope'], {home});
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /wrong password for .*alice\.p12/);
    const right = await runDial(['tls', 'inspect', bundle, '--password', 's3cret', '--json'], {home});
    assert.deepEqual(right.json<{certificates: {subject: string}[]}>().certificates.map((c) => c.subject), ['CN=alice', 'CN=issuing']);
  });

  it('init makes a CA, a server and a client certificate in one go', async () => {
    const r = await runDial(['tls', 'init', '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const j = r.json<{ca: {files: {cert: string}}; server: {sans: string[]}; client: {profile: string}}>();
    assert.deepEqual(j.server.sans, ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1']);
    assert.equal(j.client.profile, 'client');
    assert.equal(j.ca.files.cert, join(tls, 'mtls', 'ca', 'ca.pem'));
  });
});
