import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {tlsInit} from '../../src/tls/quickstart.js';
import {clusterSuite, runDial, startCluster} from '../helpers/cli.js';

interface Up {
  api: {url: string};
  instances: {id: string; port: number; state: string}[];
}

describe('cluster up --tls: mutual TLS everywhere', {concurrency: false}, () => {
  const {home} = clusterSuite(after);
  let up: Up;
  let port = 0;
  const tlsDir = join(home, 'tls', 'cluster');
  const caFile = join(tlsDir, 'ca', 'ca.pem');

  before(async () => {
    up = (await startCluster(home, ['--tls', '--instances', '2'])).json<Up>();
    port = up.instances[0].port;
  });

  it('creates a cluster CA and certificates in DIAL_HOME (keys 0600) and serves the registry over https', () => {
    assert.match(up.api.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    for (const key of ['ca/ca-key.pem', 'node-key.pem', 'cli-key.pem']) assert.equal(statSync(join(tlsDir, key)).mode & 0o777, 0o600, key);
    const info = JSON.parse(readFileSync(join(home, 'cluster.json'), 'utf8')) as {tls: {caFile: string; certFile: string; keyFile: string}};
    assert.deepEqual(info.tls, {caFile, certFile: join(tlsDir, 'cli.pem'), keyFile: join(tlsDir, 'cli-key.pem')});
  });

  it('services, discover and call just work: the CLI presents its client certificate; health checks pass over TLS', async () => {
    const s = await runDial(['services', '--json'], {home});
    assert.equal(s.code, 0, s.stderr);
    const greeter = s.json<{services: {name: string; passing: number}[]}>().services.find((x) => x.name === 'greeter');
    assert.equal(greeter?.passing, 2);
    const r = await runDial(['call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as {message: string}).message, 'Hello, ada!');
  });

  it('balanced calls, dial bench, list and describe use the cluster certificates too', async () => {
    const lb = await runDial(['call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"lb"}', '--lb', 'p2c', '-n', '6', '-c', '2', '--json'], {home});
    assert.equal(lb.code, 0, lb.stderr);
    assert.equal(lb.json<{ok: number}>().ok, 6);
    assert.doesNotMatch(lb.stderr, /Warning/, 'no DeprecationWarning about IP ServerNames');
    const bench = await runDial(['bench', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"b"}', '-n', '20', '--json'], {home});
    assert.equal(bench.code, 0, bench.stderr);
    const list = await runDial(['list', 'greeter'], {home});
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /helloworld\.Greeter/);
    const desc = await runDial(['describe', 'greeter', 'helloworld.HelloRequest'], {home});
    assert.equal(desc.code, 0, desc.stderr);
    assert.match(desc.stdout, /message HelloRequest/);
  });

  it('tls inspect against an instance shows its chain, TLS 1.3, and that it refuses a client without a certificate', async () => {
    const r = await runDial(['tls', 'inspect', `127.0.0.1:${port}`, '--ca', caFile, '--json'], {home});
    assert.equal(r.code, 0, r.stderr);
    const j = r.json<{protocol: string; trusted: boolean; certificates: {subject: string; issuer: string; extendedKeyUsage: string[]}[]; clientCertificate: {refused?: string}}>();
    assert.equal(j.protocol, 'TLSv1.3');
    assert.equal(j.trusted, true);
    assert.equal(j.certificates[0].subject, 'CN=dial cluster node');
    assert.equal(j.certificates[0].issuer, 'CN=dial cluster CA');
    assert.deepEqual(j.certificates[0].extendedKeyUsage, ['serverAuth', 'clientAuth']);
    assert.match(j.clientCertificate.refused ?? '', /requires a client certificate and none was sent/);
    const human = await runDial(['tls', 'inspect', `127.0.0.1:${port}`, '--ca', caFile, '--cert', join(tlsDir, 'cli.pem'), '--key', join(tlsDir, 'cli-key.pem')], {home});
    assert.match(human.stdout, /protocol +TLSv1\.3/);
    assert.match(human.stdout, /client cert +sent, accepted/);
  });

  it('a call with no client certificate, or one from another CA, fails saying which side refused what', async () => {
    const other = await tlsInit({out: join(home, 'other-pki')});
    const target = `127.0.0.1:${port}`;
    const dial = (...tls: string[]) => runDial(['call', target, 'helloworld.Greeter/SayHello', '-d', '{"name":"eve"}', '--json', ...tls], {home});
    const none = await dial('--cacert', caFile);
    assert.equal(none.code, 3, none.stderr);
    const e1 = none.json<{error: {code: string; message: string; details: {rejectedBy: string}}}>().error;
    assert.equal(e1.code, 'CLIENT_CERT_REQUIRED', `${e1.message} ${JSON.stringify(e1.details)}`);
    assert.equal(e1.message, `${target} refused the TLS connection: it requires a client certificate and none was sent`);
    assert.equal(e1.details.rejectedBy, 'server');
    const wrong = await dial('--cacert', caFile, '--cert', other.client.files.cert, '--key', other.client.files.key!);
    assert.equal(wrong.code, 3, wrong.stderr);
    assert.match(wrong.stderr, new RegExp(`error: ${target} closed the connection right after the TLS handshake: it did not accept the client certificate CN=client \\(issued by CN=dial CA\\)`));
    const distrust = await dial('--cacert', other.ca.files.cert, '--cert', join(tlsDir, 'cli.pem'), '--key', join(tlsDir, 'cli-key.pem'));
    assert.equal(distrust.code, 3);
    assert.match(distrust.stderr, new RegExp(`error: dial rejected the certificate of ${target}: its chain ends at a root dial does not trust \\(SELF_SIGNED_CERT_IN_CHAIN\\)`));
    assert.match(distrust.stderr, /--cacert FILE/);
    const mismatch = await dial('--cacert', caFile, '--cert', join(tlsDir, 'cli.pem'), '--key', join(tlsDir, 'node-key.pem'));
    assert.equal(mismatch.code, 2, mismatch.stderr);
    assert.match(mismatch.stderr, /the private key does not belong to the certificate/);
    const right = await dial('--cacert', caFile, '--cert', join(tlsDir, 'cli.pem'), '--key', join(tlsDir, 'cli-key.pem'));
    assert.equal(right.code, 0, right.stderr);
  });

  it('a CLI whose cluster.json points at a client certificate from another CA is refused by the registry, with the reason', async () => {
    const other = await tlsInit({out: join(home, 'other-pki2')});
    const home2 = mkdtempSync(join(tmpdir(), 'dial-test-'));
    const info = JSON.parse(readFileSync(join(home, 'cluster.json'), 'utf8')) as {home: string; tls: Record<string, string>};
    info.home = home2;
    info.tls = {caFile, certFile: other.client.files.cert, keyFile: other.client.files.key!};
    writeFileSync(join(home2, 'cluster.json'), JSON.stringify(info));
    const r = await runDial(['services'], {home: home2}).finally(() => rmSync(home2, {recursive: true, force: true}));
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /did not accept the client certificate CN=client/);
  });

  it('a second cluster up --tls after down reuses the CA', async () => {
    const before = readFileSync(caFile, 'utf8');
    await runDial(['cluster', 'down'], {home});
    const again = await runDial(['cluster', 'up', '--tls', '--port', '0', '--instances', '1'], {home, timeoutMs: 60_000});
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /mutual TLS/);
    assert.equal(readFileSync(caFile, 'utf8'), before);
  });
});
