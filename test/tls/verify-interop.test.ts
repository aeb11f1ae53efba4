import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {connect, createServer, type TLSSocket} from 'node:tls';
import {createCa, createIntermediate} from '../../src/tls/ca.js';
import {generateCrl, revokeCertificate} from '../../src/tls/crl.js';
import {exportPkcs12} from '../../src/tls/export.js';
import {inspectFile} from '../../src/tls/inspect.js';
import {inspectRemote} from '../../src/tls/inspect-remote.js';
import {issueCertificate} from '../../src/tls/issue.js';
import {tlsInit} from '../../src/tls/quickstart.js';
import {verifyCertificate} from '../../src/tls/verify.js';
import {NO_OPENSSL, OPENSSL, openssl, opensslOk, tempDir} from './helpers.js';

describe('tls: verify, revoke, export and interop with openssl and node tls', () => {
  const dir = tempDir({after});
  const root = join(dir, 'root');
  const inter = join(dir, 'inter');
  const certs = join(dir, 'certs');
  const f = (name: string) => join(certs, name);

  before(async () => {
    await createCa({name: 'V Root', out: root});
    await createIntermediate({name: 'V Issuing', parent: root, out: inter});
    await issueCertificate({name: 'srv', ca: inter, out: certs, profile: 'server', dns: ['srv.test'], ip: ['127.0.0.1', 'fe80::1']});
    await issueCertificate({name: 'cli', ca: inter, out: certs, profile: 'client', email: ['cli@example.test']});
    await issueCertificate({name: 'old', ca: inter, out: certs, profile: 'server', dns: ['old.test'], notBefore: '2020-01-01', notAfter: '2020-06-01'});
    await issueCertificate({name: 'future', ca: inter, out: certs, profile: 'server', dns: ['future.test'], notBefore: '2029-01-01', notAfter: '2030-01-01'});
  });

  it('a good chain verifies with the host and purpose; each failure has a precise reason and code', async () => {
    const ok = await verifyCertificate({cert: f('srv-fullchain.pem'), ca: [root], host: 'srv.test', purpose: 'server'});
    assert.equal(ok.ok, true, ok.reason);
    assert.deepEqual(ok.chain.map((c) => c.subject), ['CN=srv', 'CN=V Issuing', 'CN=V Root']);
    const cases: [Parameters<typeof verifyCertificate>[0], string, RegExp][] = [
      [{cert: f('srv.pem'), ca: [root]}, 'UNKNOWN_ISSUER', /issuer CN=V Issuing of CN=srv was given/],
      [{cert: f('srv-fullchain.pem'), ca: [join(inter, 'ca.pem')], intermediates: []}, 'OK', /./],
      [{cert: f('srv-fullchain.pem'), ca: [root], host: 'other.test'}, 'HOST_MISMATCH', /not valid for other\.test: its names are DNS:srv\.test, IP:127\.0\.0\.1, IP:fe80::1/],
      [{cert: f('srv-fullchain.pem'), ca: [root], host: 'fe80::1%eth0'}, 'OK', /./],
      [{cert: f('srv-fullchain.pem'), ca: [root], host: '[fe80::1%25eth0]'}, 'OK', /./],
      [{cert: f('srv-fullchain.pem'), ca: [root], host: 'fe80::2%eth0'}, 'HOST_MISMATCH', /not valid for fe80::2: its names/],
      [{cert: f('srv-fullchain.pem'), ca: [root], host: '10.1.2.3'}, 'HOST_MISMATCH', /not valid for 10\.1\.2\.3/],
      [{cert: f('srv-fullchain.pem'), ca: [root], purpose: 'client'}, 'WRONG_PURPOSE', /not for TLS client use: its extendedKeyUsage is serverAuth, clientAuth is needed/],
      [{cert: f('cli-fullchain.pem'), ca: [root], purpose: 'server'}, 'WRONG_PURPOSE', /serverAuth is needed/],
      [{cert: f('old-fullchain.pem'), ca: [root]}, 'EXPIRED', /CN=old expired on 2020-06-01/],
      [{cert: f('future-fullchain.pem'), ca: [root]}, 'NOT_YET_VALID', /CN=future is not valid before 2029-01-01/],
      [{cert: f('srv-fullchain.pem'), ca: [join(dir, 'other-root')]}, 'WRONG_ISSUER_KEY', /CN=V Root was given but it is not the CA that signed CN=V Issuing/],
      [{cert: join(inter, 'ca-chain.pem'), ca: [join(dir, 'other-root')]}, 'UNTRUSTED_ROOT', /\(a different CA with that name is\)/],
      [{cert: join(root, 'ca.pem'), ca: [join(dir, 'other-root')]}, 'UNTRUSTED_ROOT', /chain ends at the self-signed CN=V Root, which is not among the trusted roots/],
    ];
    await createCa({name: 'V Root', out: join(dir, 'other-root')});
    for (const [opts, code, why] of cases) {
      const r = await verifyCertificate(opts);
      if (code === 'OK') {
        assert.equal(r.ok, true, r.reason);
        continue;
      }
      assert.equal(r.ok, false, `${code} expected`);
      assert.equal(r.code, code, r.reason);
      assert.match(r.reason!, why);
    }
  });

  it('a certificate signed by a non-CA is refused (NOT_A_CA), by dial and by openssl', {skip: NO_OPENSSL}, async () => {
    // openssl makes a leaf (CA:FALSE) and signs another certificate with it.
    opensslOk(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'nca.key', '-out', 'nca.pem', '-subj', '/CN=Not A CA', '-days', '30', '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature,keyCertSign'], dir);
    opensslOk(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'victim.key', '-out', 'victim.csr', '-subj', '/CN=victim'], dir);
    opensslOk(['x509', '-req', '-in', 'victim.csr', '-CA', 'nca.pem', '-CAkey', 'nca.key', '-out', 'victim.pem', '-days', '10'], dir);
    const r = await verifyCertificate({cert: join(dir, 'victim.pem'), ca: [join(dir, 'nca.pem')]});
    assert.equal(r.code, 'NOT_A_CA');
    assert.match(r.reason!, /CN=Not A CA issued CN=victim but is not a CA/);
    assert.notEqual(openssl(['verify', '-CAfile', join(dir, 'nca.pem'), join(dir, 'victim.pem')]).status, 0);
  });

  it('certificates made by openssl are inspected and verified by dial', {skip: NO_OPENSSL}, async () => {
    opensslOk(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'o-root.key', '-out', 'o-root.pem', '-subj', '/O=OpenSSL Org/CN=OpenSSL Root', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    opensslOk(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', 'o-leaf.key', '-out', 'o-leaf.csr', '-subj', '/CN=o-leaf.test'], dir);
    writeFileSync(join(dir, 'o-ext.cnf'), 'subjectAltName=DNS:o-leaf.test,IP:127.0.0.1,URI:spiffe://o.test/leaf\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\n');
    opensslOk(['x509', '-req', '-in', 'o-leaf.csr', '-CA', 'o-root.pem', '-CAkey', 'o-root.key', '-out', 'o-leaf.pem', '-days', '10', '-extfile', 'o-ext.cnf'], dir);
    const info = await inspectFile(join(dir, 'o-leaf.pem'), {keyFile: join(dir, 'o-leaf.key')});
    const c = info.certificates[0];
    assert.equal(c.subject, 'CN=o-leaf.test');
    assert.equal(c.issuer, 'O=OpenSSL Org, CN=OpenSSL Root');
    assert.deepEqual(c.sans, ['DNS:o-leaf.test', 'IP:127.0.0.1', 'URI:spiffe://o.test/leaf']);
    assert.equal(c.key.label, 'ECDSA P-384');
    assert.deepEqual(c.extendedKeyUsage, ['serverAuth']);
    assert.ok(c.daysLeft >= 9 && c.daysLeft <= 10);
    assert.equal(info.keys[0].matchesCertificate, true);
    const fp = opensslOk(['x509', '-in', join(dir, 'o-leaf.pem'), '-noout', '-fingerprint', '-sha256']).trim().split('=')[1];
    assert.equal(c.fingerprints.sha256, fp);
    const v = await verifyCertificate({cert: join(dir, 'o-leaf.pem'), ca: [join(dir, 'o-root.pem')], host: 'o-leaf.test', purpose: 'server'});
    assert.equal(v.ok, true, v.reason);
  });

  it('revocation: a CRL that dial and openssl verify -crl_check both honour', {skip: NO_OPENSSL}, async () => {
    const victim = await issueCertificate({name: 'revokeme', ca: inter, out: certs, profile: 'client'});
    const r = await revokeCertificate({ca: inter, serial: victim.serial.replace(/(..)(?!$)/g, '$1:').toUpperCase(), reason: 'keyCompromise'});
    assert.equal(r.revoked.length, 1);
    assert.equal(r.crlNumber, 1);
    await assert.rejects(revokeCertificate({ca: inter, serial: 'abcdef'}), /no record of issuing serial abcdef/);
    const crl = join(inter, 'crl.pem');
    const crlCheck = (cert: string) => openssl(['verify', '-crl_check', '-CAfile', join(root, 'ca.pem'), '-untrusted', join(inter, 'ca.pem'), '-CRLfile', crl, cert]);
    const revoked = crlCheck(victim.files.cert);
    assert.notEqual(revoked.status, 0);
    assert.match(revoked.out, /certificate revoked/);
    assert.equal(crlCheck(f('srv.pem')).status, 0, crlCheck(f('srv.pem')).out);
    const dialRevoked = await verifyCertificate({cert: victim.files.fullchain, ca: [root], crls: [crl]});
    assert.equal(dialRevoked.code, 'REVOKED');
    assert.match(dialRevoked.reason!, /was revoked by CN=V Issuing on .*reason keyCompromise/);
    assert.equal((await verifyCertificate({cert: f('srv-fullchain.pem'), ca: [root], crls: [crl]})).ok, true);
    const missing = await verifyCertificate({cert: f('srv-fullchain.pem'), ca: [root], crls: [(await generateCrl({ca: root})).file]});
    assert.equal(missing.code, 'CRL_MISSING');
    const text = opensslOk(['crl', '-in', crl, '-noout', '-text']);
    assert.match(text, /CRL Number: \s*\n\s+1/);
    assert.match(text, /Key Compromise/);
    const again = await generateCrl({ca: inter});
    assert.equal(again.crlNumber, 2);
    const info = await inspectFile(crl);
    assert.equal(info.crls[0].revoked[0].serial, victim.serial);
  });

  it('PKCS#12: dial exports what openssl reads, reads what openssl exports, and names a wrong password', {skip: NO_OPENSSL}, async () => {
    const out = await exportPkcs12({cert: f('srv.pem'), password: 'changeit'});
    assert.equal(out.certificates, 2);
    const info = opensslOk(['pkcs12', '-in', out.file, '-passin', 'pass:changeit', '-nodes']);
    assert.match(info, /subject=CN = srv/);
    assert.match(info, /subject=CN = V Issuing/);
    assert.match(info, /BEGIN PRIVATE KEY/);
    const back = await inspectFile(out.file, {password: 'changeit'});
    assert.deepEqual(back.certificates.map((c) => c.subject), ['CN=srv', 'CN=V Issuing']);
    assert.equal(back.keys[0].matchesCertificate, true);
    await assert.rejects(inspectFile(out.file, {password: 'nope'}), (e: Error & {code?: string}) => e.code === 'BAD_PASSWORD' && /wrong password/.test(e.message));
    opensslOk(['pkcs12', '-export', '-in', f('cli.pem'), '-inkey', f('cli-key.pem'), '-passout', 'pass:abc', '-out', join(dir, 'o.p12')]);
    const o = await inspectFile(join(dir, 'o.p12'), {password: 'abc'});
    assert.equal(o.certificates[0].subject, 'CN=cli');
    assert.equal(o.keys.length, 1);
    await assert.rejects(exportPkcs12({cert: f('srv.pem'), key: f('cli-key.pem'), out: join(dir, 'x.p12')}), /does not belong to CN=srv/);
  });

  it('bad input gets a clear error: corrupt PEM, truncated PEM, a key that does not match', async () => {
    const good = readFileSync(f('srv.pem'), 'utf8');
    writeFileSync(join(dir, 'corrupt.pem'), good.replace(/\n([A-Za-z0-9+/]{10})/, '\n$1#!'));
    await assert.rejects(inspectFile(join(dir, 'corrupt.pem')), /not base64/);
    writeFileSync(join(dir, 'trunc.pem'), good.slice(0, 200));
    await assert.rejects(inspectFile(join(dir, 'trunc.pem')), /truncated or malformed/);
    writeFileSync(join(dir, 'garbage.der'), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]));
    await assert.rejects(inspectFile(join(dir, 'garbage.der')), /not a PKCS#12 file|not a valid/);
    writeFileSync(join(dir, 'text.pem'), 'hello\n');
    await assert.rejects(inspectFile(join(dir, 'text.pem')), /neither PEM nor DER/);
    await assert.rejects(inspectFile(join(dir, 'missing.pem')), /cannot read file .*no such file/);
    await assert.rejects(inspectFile(f('srv.pem'), {keyFile: f('cli-key.pem')}), (e: Error & {code?: string}) => e.code === 'KEY_MISMATCH' && /does not belong to the certificate CN=srv/.test(e.message));
    const expired = await inspectFile(f('old.pem'));
    assert.equal(expired.certificates[0].status, 'expired');
    assert.ok(expired.certificates[0].daysLeft < 0);
    assert.match(expired.warnings.join('\n'), /CN=old expired \d+ day\(s\) ago/);
    assert.equal((await inspectFile(f('future.pem'))).certificates[0].status, 'not yet valid');
  });

  describe('mutual TLS with the issued certificates', () => {
    let server: ReturnType<typeof createServer>;
    let port = 0;
    const seen: string[] = [];
    before(async () => {
      server = createServer({
        key: readFileSync(f('srv-key.pem')), cert: readFileSync(f('srv-fullchain.pem')), ca: readFileSync(join(root, 'ca.pem')),
        requestCert: true, rejectUnauthorized: true,
      }, (s: TLSSocket) => {
        seen.push(String(s.getPeerCertificate().subject?.CN));
        s.end('hello\n');
      });
      server.on('tlsClientError', () => undefined);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    const nodeClient = (opts: {cert?: string; key?: string}) => new Promise<{data: string; error?: string}>((resolve) => {
      const s = connect({host: '127.0.0.1', port, ca: readFileSync(join(root, 'ca.pem')), ...(opts.cert ? {cert: readFileSync(opts.cert), key: readFileSync(opts.key!)} : {})});
      let data = '';
      let error: string | undefined;
      s.on('data', (d) => (data += d));
      s.on('error', (e) => (error = e.message));
      s.on('close', () => resolve({data, error}));
    });

    it('node tls: the issued client certificate is accepted; none, or one from another CA, is refused', async () => {
      assert.deepEqual(await nodeClient({cert: f('cli-fullchain.pem'), key: f('cli-key.pem')}), {data: 'hello\n', error: undefined});
      assert.ok(seen.includes('cli'));
      const none = await nodeClient({});
      assert.equal(none.data, '');
      assert.match(none.error ?? '', /certificate required/i);
      const other = await tlsInit({out: join(dir, 'other')});
      const wrong = await nodeClient({cert: other.client.files.cert, key: other.client.files.key});
      assert.equal(wrong.data, '', 'a node server drops a client whose certificate it does not trust');
      assert.equal(seen.length, 1);
    });

    it('openssl s_client completes the mutual handshake and verifies the server chain', {skip: NO_OPENSSL}, async () => {
      const out = await new Promise<string>((resolve) => {
        const p = spawn(OPENSSL, ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', join(root, 'ca.pem'), '-cert', f('cli.pem'), '-key', f('cli-key.pem'), '-cert_chain', join(inter, 'ca.pem'), '-verify_return_error', '-ign_eof'], {stdio: ['pipe', 'pipe', 'pipe']});
        let text = '';
        p.stdout.on('data', (d) => (text += d));
        p.stderr.on('data', (d) => (text += d));
        p.on('close', () => resolve(text));
        p.stdin.end();
      });
      assert.match(out, /Verify return code: 0 \(ok\)/);
      assert.match(out, /hello/);
    });

    it('dial tls inspect HOST:PORT shows the chain, protocol and cipher, and whether the client certificate was accepted', async () => {
      const withCert = await inspectRemote(`127.0.0.1:${port}`, {ca: join(root, 'ca.pem'), cert: f('cli-fullchain.pem'), key: f('cli-key.pem')});
      assert.equal(withCert.protocol, 'TLSv1.3');
      assert.match(withCert.cipher.name, /^TLS_/);
      assert.equal(withCert.trusted, true);
      assert.deepEqual(withCert.certificates.map((c) => c.subject), ['CN=srv', 'CN=V Issuing']);
      assert.equal(withCert.chain.inOrder, true);
      assert.equal(withCert.clientCertificate.refused, undefined);
      const without = await inspectRemote(`127.0.0.1:${port}`);
      assert.equal(without.trusted, false);
      assert.match(without.clientCertificate.refused ?? '', /requires a client certificate and none was sent/);
    });
  });
});
