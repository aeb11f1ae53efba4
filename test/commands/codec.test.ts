import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {runDial, tempHome} from '../helpers/cli.js';

const PROTO = 'proto/helloworld/helloworld.proto';

describe('dial codec encode | decode | compare', () => {
  it('encode prints hex (or base64), decode reads it back; --json gives the typed results', async (t) => {
    const home = tempHome(t);
    const enc = await runDial(['codec', 'encode', '--codec', 'protobuf', '--schema', PROTO, '--type', 'HelloRequest', '-d', '{"name":"ada","count":3}'], {home});
    assert.equal(enc.code, 0, enc.stderr);
    assert.equal(enc.stdout, '0a036164611003\n');
    const b64 = await runDial(['codec', 'encode', '--codec', 'msgpack', '-d', '{"name":"ada"}', '--out', 'base64', '--json'], {home});
    assert.deepEqual(b64.json(), {codec: 'msgpack', size: 10, format: 'base64', data: Buffer.from('81a46e616d65a3616461', 'hex').toString('base64')});
    const dec = await runDial(['codec', 'decode', '--codec', 'protobuf', '--schema', PROTO, '--type', 'HelloRequest', '-d', '0a 03 61 64 61 10 03', '--json'], {home});
    assert.deepEqual(dec.json(), {name: 'ada', count: 3});
  });

  it('raw bytes through a file and stdin; java streams decode from stdin', async (t) => {
    const home = tempHome(t);
    const file = join(home, 'msg.bin');
    writeFileSync(file, Buffer.from('0661646106', 'hex'));
    const fromFile = await runDial(['codec', 'decode', '--codec', 'avro', '--schema', 'proto/helloworld/helloworld.avsc', '--type', 'HelloRequest', '-d', `@${file}`], {home});
    assert.deepEqual(JSON.parse(fromFile.stdout), {name: 'ada', count: 3});
    const java = await runDial(['codec', 'decode', '--codec', 'java', '-d', '@test/fixtures/java/mixed.ser', '--json'], {home});
    assert.equal(java.code, 0, java.stderr);
    assert.deepEqual(java.json<unknown[]>().slice(1), ['after-int', 'after-reset']);
  });

  it('compare prints the size table for every codec with a schema', async (t) => {
    const home = tempHome(t);
    const r = await runDial(['codec', 'compare', '-d', '{"name":"ada","count":3}', '--type', 'HelloRequest', '--iterations', '50',
      '--schema', PROTO, '--schema', 'proto/helloworld/helloworld.thrift', '--schema', 'proto/helloworld/helloworld.avsc'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^CODEC\s+TYPE\s+BYTES\s+VS JSON\s+ENCODE µs\s+DECODE µs$/m);
    assert.match(r.stdout, /^protobuf\s+helloworld\.HelloRequest\s+7\s+29%/m);
    assert.match(r.stdout, /^thrift-compact\s+HelloRequest\s+8\s+33%/m);
    assert.match(r.stdout, /^avro\s+helloworld\.HelloRequest\s+5\s+21%/m);
    assert.equal(r.stderr, '', 'no warnings from the libraries');
  });

  it('protobuf uses the proto3 JSON mapping of dial call: well-known types encode and round-trip; bad values exit 2', async (t) => {
    const home = tempHome(t);
    const everything = ['--codec', 'protobuf', '--schema', 'proto/showcase/v1/showcase.proto', '--type', 'Everything'];
    const cases: [unknown, unknown][] = [
      [{at: '2024-01-01T00:00:00Z'}, {at: '2024-01-01T00:00:00Z'}],
      [{took: '1.5s'}, {took: '1.500s'}],
      [{mask: 'a.b'}, {mask: 'a.b'}],
      [{maybeI64: '5', maybeText: 'x', maybeFlag: false}, {maybeText: 'x', maybeI64: '5', maybeFlag: false}],
      [{anything: 5}, {anything: 5}],
      [{list: [1, 'two', null]}, {list: [1, 'two', null]}],
      [{attrs: {a: 1, b: {c: [true]}}}, {attrs: {a: 1, b: {c: [true]}}}],
      [{extra: {'@type': 'type.googleapis.com/showcase.v1.Point', x: 1}}, {extra: {x: 1, '@type': 'type.googleapis.com/showcase.v1.Point'}}],
    ];
    for (const [input, back] of cases) {
      const enc = await runDial(['codec', 'encode', ...everything, '-d', JSON.stringify(input)], {home});
      assert.equal(enc.code, 0, `${JSON.stringify(input)}: ${enc.stderr}`);
      const dec = await runDial(['codec', 'decode', ...everything, '-d', enc.stdout.trim(), '--json'], {home});
      assert.equal(dec.code, 0, dec.stderr);
      assert.deepEqual(dec.json(), back, JSON.stringify(input));
    }
    const bad = await runDial(['codec', 'encode', ...everything, '-d', '{"at":"yesterday"}'], {home});
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /does not fit showcase\.v1\.Everything: invalid RFC 3339 string/);
  });

  it('bad input: usage errors with exit 2', async (t) => {
    const home = tempHome(t);
    const noSchema = await runDial(['codec', 'encode', '--codec', 'protobuf', '-d', '{}'], {home});
    assert.equal(noSchema.code, 2);
    assert.match(noSchema.stderr, /needs --schema FILE\.proto \(or --protoset FILE\) and --type MESSAGE/);
    const notHex = await runDial(['codec', 'decode', '--codec', 'msgpack', '-d', 'zz'], {home});
    assert.equal(notHex.code, 2);
    assert.match(notHex.stderr, /not hex/);
    for (const input of ['', 'not xml']) {
      const xml = await runDial(['codec', 'decode', '--codec', 'xml-rpc', '-d', '@-'], {home, input});
      assert.equal(xml.code, 2, xml.stderr);
      assert.match(xml.stderr, /the input is not XML-RPC/);
    }
    const java = await runDial(['codec', 'encode', '--codec', 'java', '-d', '{}'], {home});
    assert.equal(java.code, 2);
    assert.match(java.stderr, /only decodes/);
  });
});
