import assert from 'node:assert/strict';
import {rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {runDial, tempHome} from '../../helpers/cli.js';
import {FIXTURES, generate, INCLUDE_DIR, INTEROP_IDL, PYTHON, startServer, thriftMissing, type ServerProcess} from '../../helpers/thrift.js';
import {NO_OPENSSL, opensslOk, tempDir} from '../../tls/helpers.js';

const skip = thriftMissing() || NO_OPENSSL;

/** A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made by openssl (independent of dial). */
function makeCerts(dir: string, name: string): {ca: string; cert: string; key: string; clientCert: string; clientKey: string} {
  const p = (f: string) => join(dir, `${name}-${f}`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  opensslOk(['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', `/CN=${name} test CA`]);
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  // Python's TSSLServerSocket also checks that a client certificate names the client's address.
  writeFileSync(p('client.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    opensslOk(['req', ...ec, '-keyout', p(`${who}.key`), '-out', p(`${who}.csr`), '-subj', `/CN=${who}`]);
    opensslOk(['x509', '-req', '-in', p(`${who}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', p(`${who}.ext`), '-out', p(`${who}.pem`)]);
  }
  return {ca: p('ca.pem'), cert: p('server.pem'), key: p('server.key'), clientCert: p('client.pem'), clientKey: p('client.key')};
}

describe('dial call over TLS to Python\'s TSSLServerSocket (python3-thrift), and THeader', {skip}, () => {
  const home = tempHome();
  const dir = tempDir();
  let certs: ReturnType<typeof makeCerts>;
  let other: ReturnType<typeof makeCerts>;
  let server: ServerProcess;
  before(async () => {
    certs = makeCerts(dir, 'good');
    other = makeCerts(dir, 'other');
    const gen = generate('py', INTEROP_IDL, [INCLUDE_DIR]);
    server = await startServer(PYTHON, [join(FIXTURES, 'py_tls_server.py'), gen, certs.cert, certs.key, certs.ca], {}, [gen]);
  });
  after(async () => {
    await server?.stop();
    rmSync(home, {recursive: true, force: true});
    rmSync(dir, {recursive: true, force: true});
  });
  const schema = ['--schema', INTEROP_IDL, '-I', INCLUDE_DIR];
  const dial = (port: string, args: string[]) => runDial(['call', `127.0.0.1:${server.ports[port]}`, 'Echo.add', ...schema, '-d', '{"a":{"x":1,"y":2},"b":{"x":3,"y":4}}', ...args], {home});

  it('--cacert verifies the server; -v shows the TLS handshake; --json has the connection', async () => {
    const r = await dial('tls', ['--cacert', certs.ca, '-v']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {x: 4, y: 6});
    assert.match(r.stderr, /TLS/);
    const j = (await dial('tls', ['--cacert', certs.ca, '--json'])).json<{messages: unknown[]; connection: {tls?: {version?: string}}}>();
    assert.deepEqual(j.messages, [{x: 4, y: 6}]);
    assert.match(String(j.connection.tls?.version), /^TLSv1\.[23]$/);
  });

  it('a server certificate from another CA fails verification (exit 3, names --cacert/--insecure); --insecure skips the check', async () => {
    const bad = await dial('tls', ['--cacert', other.ca]);
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /rejected the certificate of 127\.0\.0\.1:\d+[\s\S]*--cacert FILE[\s\S]*--insecure/);
    const ins = await dial('tls', ['--insecure']);
    assert.equal(ins.code, 0, ins.stderr);
    assert.deepEqual(JSON.parse(ins.stdout), {x: 4, y: 6});
  });

  it('--servername checks the certificate against that name', async () => {
    const ok = await dial('tls', ['--cacert', certs.ca, '--servername', 'localhost']);
    assert.equal(ok.code, 0, ok.stderr);
    const wrong = await dial('tls', ['--cacert', certs.ca, '--servername', 'example.org']);
    assert.equal(wrong.code, 3);
    assert.match(wrong.stderr, /rejected the certificate .*does not name the host[\s\S]*--servername/);
  });

  it('mutual TLS: --cert/--key are sent; without them the server refuses the call', async () => {
    const ok = await dial('mtls', ['--cacert', certs.ca, '--cert', certs.clientCert, '--key', certs.clientKey]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), {x: 4, y: 6});
    const none = await dial('mtls', ['--cacert', certs.ca]);
    assert.equal(none.code, 3);
    assert.match(none.stderr, /requires a client certificate and none was sent/);
    const wrongClient = await dial('mtls', ['--cacert', certs.ca, '--cert', other.clientCert, '--key', other.clientKey]);
    assert.equal(wrongClient.code, 3, wrongClient.stderr);
    assert.match(wrongClient.stderr, /refused the TLS connection|did not accept the client certificate/);
  });

  it('plaintext to a TLS port fails at once (the TLS server drops the bytes), not a hang', async () => {
    const started = Date.now();
    const r = await dial('tls', ['--max-time', '5s']);
    assert.equal(r.code, 78, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /a TLS server needs --tls \(with --cacert FILE, or --insecure\)/);
    assert.ok(Date.now() - started < 5000);
  });
});
