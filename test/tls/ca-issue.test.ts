import assert from 'node:assert/strict';
import {X509Certificate} from 'node:crypto';
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {createCa, createIntermediate} from '../../src/tls/ca.js';
import {inspectFile} from '../../src/tls/inspect.js';
import {issueCertificate} from '../../src/tls/issue.js';
import {KEY_TYPES} from '../../src/tls/key-types.js';
import {NO_OPENSSL, openssl, opensslOk, tempDir} from './helpers.js';

const reject = async (p: Promise<unknown>, code: string, message?: RegExp) => {
  await assert.rejects(p, (e: Error & {code?: string}) => {
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
};

describe('tls: CAs and certificates', () => {
  const dir = tempDir({after});
  const root = join(dir, 'root');
  const inter = join(dir, 'inter');
  const certs = join(dir, 'certs');

  before(async () => {
    await createCa({name: 'Test Root', out: root, pathLen: 1});
    await createIntermediate({name: 'Test Issuing', parent: root, out: inter, keyType: 'ecdsa-p384'});
  });

  it('a root CA: CA:TRUE critical, keyCertSign + cRLSign, its own path length, key 0600, refuses to overwrite', async () => {
    const text = opensslOk(['x509', '-in', join(root, 'ca.pem'), '-noout', '-text']);
    assert.match(text, /Basic Constraints: critical\s+CA:TRUE, pathlen:1/);
    assert.match(text, /Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    assert.equal(statSync(join(root, 'ca-key.pem')).mode & 0o777, 0o600);
    assert.match(readFileSync(join(root, 'ca-key.pem'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    await reject(createCa({name: 'Again', out: root}), 'FILE_EXISTS', /refusing to overwrite .*ca-key\.pem/);
  });

  it('intermediates: pathLen 0 by default, never more than the parent allows, none under pathLen 0', async () => {
    const info = await inspectFile(join(inter, 'ca.pem'));
    assert.equal(info.certificates[0].pathLen, 0);
    assert.equal(info.certificates[0].issuer, 'CN=Test Root');
    await reject(createIntermediate({name: 'Too deep', parent: root, out: join(dir, 'x'), pathLen: 1}), 'USAGE', /more than the parent CA allows/);
    await reject(createIntermediate({name: 'Below pathLen 0', parent: inter, out: join(dir, 'y')}), 'PATH_LEN_EXCEEDED', /may sign only leaf certificates/);
    assert.equal(opensslOk(['verify', '-CAfile', join(root, 'ca.pem'), join(inter, 'ca.pem')]).trim(), `${join(inter, 'ca.pem')}: OK`);
  });

  it('server, client and both: key usage, extended key usage and every kind of SAN', async (t) => {
    const server = await issueCertificate({name: 'api', ca: inter, out: certs, profile: 'server', dns: ['api.example.test', '*.api.example.test'], ip: ['127.0.0.1', '::1'], subject: 'C=US, O=Acme, OU=Payments'});
    const client = await issueCertificate({name: 'alice', ca: inter, out: certs, profile: 'client', email: ['alice@example.test'], uri: ['spiffe://example.test/ns/dev/sa/alice'], keyType: 'rsa-2048'});
    const both = await issueCertificate({name: 'peer', ca: inter, out: certs, profile: 'both', dns: ['peer.internal'], keyType: 'ed25519'});
    assert.deepEqual(server.sans, ['DNS:api.example.test', 'DNS:*.api.example.test', 'IP:127.0.0.1', 'IP:::1']);
    assert.equal(server.subject, 'C=US, O=Acme, OU=Payments, CN=api');
    if (NO_OPENSSL) return t.skip(NO_OPENSSL);
    const text = (f: string) => opensslOk(['x509', '-in', f, '-noout', '-text']);
    const s = text(server.files.cert);
    assert.match(s, /Basic Constraints: critical\s+CA:FALSE/);
    assert.match(s, /Key Usage: critical\s+Digital Signature\n/);
    assert.match(s, /Extended Key Usage: \s*\n\s+TLS Web Server Authentication\n/);
    assert.match(s, /DNS:api\.example\.test, DNS:\*\.api\.example\.test, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
    assert.match(s, /Subject: C = US, O = Acme, OU = Payments, CN = api/);
    const c = text(client.files.cert);
    assert.match(c, /TLS Web Client Authentication\n/);
    assert.doesNotMatch(c, /Server Authentication/);
    assert.match(c, /URI:spiffe:\/\/example\.test\/ns\/dev\/sa\/alice, email:alice@example\.test/);
    assert.match(c, /Public-Key: \(2048 bit\)/);
    const b = text(both.files.cert);
    assert.match(b, /TLS Web Server Authentication, TLS Web Client Authentication/);
    assert.match(b, /ED25519/);
    const v = (file: string, purpose: string) => openssl(['verify', '-CAfile', join(root, 'ca.pem'), '-untrusted', join(inter, 'ca.pem'), '-purpose', purpose, file]).status;
    assert.equal(v(server.files.cert, 'sslserver'), 0);
    assert.equal(v(server.files.cert, 'sslclient'), 2, 'a server-only certificate is not for clients');
    assert.equal(v(client.files.cert, 'sslclient'), 0);
    assert.equal(v(client.files.cert, 'sslserver'), 2);
    assert.equal(v(both.files.cert, 'sslserver'), 0);
    assert.equal(v(both.files.cert, 'sslclient'), 0);
    assert.equal(openssl(['verify', '-CAfile', join(root, 'ca.pem'), server.files.fullchain]).status, 2, 'the leaf alone needs the intermediate');
    assert.equal(openssl(['verify', '-CAfile', join(root, 'ca.pem'), '-untrusted', server.files.fullchain, server.files.cert]).status, 0, 'the full chain carries the intermediate');
  });

  it('serial numbers are random, positive and 128 bits; files are PEM cert, full chain and PKCS#8 key 0600', async () => {
    const serials = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await issueCertificate({name: `s${i}`, ca: root, out: certs, profile: 'client'});
      assert.match(r.serial, /^[0-9a-f]{31,32}$/);
      serials.add(r.serial);
      assert.equal(statSync(r.files.key!).mode & 0o777, 0o600);
      assert.equal(statSync(r.files.cert).mode & 0o777, 0o644);
      const chain = readFileSync(r.files.fullchain, 'utf8').match(/BEGIN CERTIFICATE/g);
      assert.equal(chain?.length, 1, 'a root-issued leaf has no intermediates');
    }
    assert.equal(serials.size, 4);
    const fromInter = await issueCertificate({name: 'chained', ca: inter, out: certs, profile: 'server', dns: ['chained.test']});
    assert.equal(readFileSync(fromInter.files.fullchain, 'utf8').match(/BEGIN CERTIFICATE/g)?.length, 2);
    await reject(issueCertificate({name: 'chained', ca: inter, out: certs, profile: 'server', dns: ['chained.test']}), 'FILE_EXISTS');
    const again = await issueCertificate({name: 'chained', ca: inter, out: certs, profile: 'server', dns: ['chained.test'], force: true});
    assert.notEqual(again.serial, fromInter.serial);
  });

  it('every key type makes certificates that openssl parses', {skip: NO_OPENSSL}, async () => {
    for (const keyType of KEY_TYPES) {
      const r = await issueCertificate({name: `k-${keyType}`, ca: root, out: certs, profile: 'server', dns: ['k.test'], keyType});
      const text = opensslOk(['x509', '-in', r.files.cert, '-noout', '-text']);
      assert.match(text, keyType.startsWith('rsa') ? new RegExp(`Public-Key: \\(${keyType.slice(4)} bit\\)`) : keyType === 'ed25519' ? /ED25519/ : new RegExp(keyType === 'ecdsa-p256' ? 'P-256' : 'P-384'));
      opensslOk(['pkey', '-in', r.files.key!, '-noout']);
    }
  });

  it('validity: --days, --not-after, never past the CA; bad names and SANs are usage errors', async () => {
    const r = await issueCertificate({name: 'short', ca: root, out: certs, profile: 'client', days: 2});
    assert.ok(Math.abs(Date.parse(r.notAfter) - Date.now() - 2 * 86_400_000) < 120_000);
    const until = await issueCertificate({name: 'until', ca: root, out: certs, profile: 'client', notAfter: '2030-01-31T00:00:00Z'});
    assert.equal(until.notAfter, '2030-01-31T00:00:00.000Z');
    const lastDay = await issueCertificate({name: 'lastday', ca: root, out: certs, profile: 'client', notAfter: '2030-01-31'});
    assert.equal(lastDay.notAfter, '2030-01-31T23:59:59.000Z', 'a bare date is the last day of validity');
    await reject(issueCertificate({name: 'long', ca: inter, out: certs, profile: 'client', days: 4000}), 'OUTLIVES_ISSUER', /outlive its issuing CA/);
    await reject(issueCertificate({name: 'x', ca: root, out: certs, profile: 'server', dns: ['bad_name!']}), 'USAGE', /not a DNS name/);
    await reject(issueCertificate({name: 'x', ca: root, out: certs, profile: 'server', ip: ['300.1.1.1']}), 'USAGE', /not an IP address/);
    await reject(issueCertificate({name: 'x', ca: root, out: certs, profile: 'server', ip: ['2001:0db8:0000:0000:0000:0000:0000:00011%eth0']}), 'USAGE', /not an IP address/);
    await reject(issueCertificate({name: 'x', ca: root, out: certs, profile: 'server', ip: ['fe80::1%eth0']}), 'USAGE', /has a zone \(%eth0\), which an IP address in a certificate cannot hold/);
    await reject(issueCertificate({name: 'x', ca: root, out: certs, profile: 'client', uri: ['spiffe://Example.org/ns/']}), 'USAGE', /invalid SPIFFE ID/);
    await reject(issueCertificate({name: 'x', ca: root, out: certs, profile: 'client', email: ['nobody']}), 'USAGE', /not an email/);
    await reject(issueCertificate({name: 'my service', ca: root, out: certs, profile: 'client'}), 'USAGE', /cannot be a file name/);
    await reject(issueCertificate({name: 'svc_1', ca: root, out: certs, profile: 'server'}), 'USAGE', /needs a name clients connect to/);
    await reject(issueCertificate({name: 'x', ca: root, out: certs, profile: 'client', subject: 'Org=Acme'}), 'USAGE', /not ATTRIBUTE=value/);
  });

  it('signs a CSR made by openssl, keeping its subject and SANs', {skip: NO_OPENSSL}, async () => {
    opensslOk(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'web.key', '-out', 'web.csr', '-subj', '/O=Web Org/CN=web.example.test', '-addext', 'subjectAltName=DNS:web.example.test,IP:10.0.0.1'], certs);
    const r = await issueCertificate({name: 'web', ca: inter, out: certs, profile: 'server', csr: join(certs, 'web.csr'), dns: ['www.example.test']});
    assert.equal(r.fromCsr, true);
    assert.equal(r.files.key, undefined);
    assert.deepEqual(r.sans, ['DNS:web.example.test', 'IP:10.0.0.1', 'DNS:www.example.test']);
    assert.match(r.subject, /CN=web\.example\.test/);
    assert.equal(openssl(['verify', '-CAfile', join(root, 'ca.pem'), '-untrusted', join(inter, 'ca.pem'), '-purpose', 'sslserver', r.files.cert]).status, 0);
    const key = openssl(['x509', '-in', r.files.cert, '-noout', '-pubkey']).out;
    assert.equal(key, openssl(['pkey', '-in', join(certs, 'web.key'), '-pubout']).out, 'the certificate carries the CSR\'s key');
    const tampered = readFileSync(join(certs, 'web.csr'), 'utf8').replace(/^(-----BEGIN CERTIFICATE REQUEST-----\n.{20})(.)/, (_m, a: string, ch: string) => a + (ch === 'A' ? 'B' : 'A'));
    writeFileSync(join(certs, 'bad.csr'), tampered);
    await assert.rejects(issueCertificate({name: 'bad', ca: inter, out: certs, profile: 'server', dns: ['x.test'], csr: join(certs, 'bad.csr')}), /BAD_CSR|not a valid PKCS#10|does not verify/);
  });

  it('a CA folder whose certificate is not a CA, or whose key does not match, is refused', {skip: NO_OPENSSL}, async () => {
    const fake = join(dir, 'fake-ca');
    const leaf = await issueCertificate({name: 'ca', ca: root, out: fake, profile: 'server', dns: ['leaf.test']});
    writeFileSync(join(fake, 'ca-key.pem'), readFileSync(leaf.files.key!));
    await reject(issueCertificate({name: 'x', ca: fake, out: certs, profile: 'client'}), 'NOT_A_CA', /not a CA certificate/);
    const mismatch = join(dir, 'mismatch-ca');
    await createCa({name: 'Mismatch', out: mismatch});
    writeFileSync(join(mismatch, 'ca-key.pem'), readFileSync(join(root, 'ca-key.pem')));
    await reject(issueCertificate({name: 'x', ca: mismatch, out: certs, profile: 'client'}), 'KEY_MISMATCH', /does not belong to/);
    await reject(issueCertificate({name: 'x', ca: join(dir, 'nowhere'), out: certs, profile: 'client'}), 'CA_NOT_FOUND', /no CA in/);
    assert.ok(new X509Certificate(readFileSync(leaf.files.cert)).checkIssued(new X509Certificate(readFileSync(join(root, 'ca.pem')))));
  });
});
