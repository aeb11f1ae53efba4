import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import avro from 'avsc';
import {pack, unpack} from 'msgpackr';
import protobuf from 'protobufjs';
import {loadCodec, compareCodecs, parseBytes, formatBytes} from '../../src/codecs/index.js';
import {isDialError} from '../../src/errors/index.js';
import {ROOT} from '../helpers/cli.js';

const FIX = join(ROOT, 'test', 'fixtures', 'codecs');
const HELLO = join(ROOT, 'proto', 'helloworld');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const hasProtoc = spawnSync('protoc', ['--version']).status === 0;

const sampleJson = {
  name: 'ada', small: -7, big: '9007199254740993', ratio: 0.25, flag: true, raw: Buffer.from([0, 1, 254]).toString('base64'),
  color: 'GREEN', tags: ['x', 'y'], counts: {a: 1, b: 2}, inner: {label: 'in'},
};

describe('protobuf codec (dial\'s .proto compiler + @bufbuild/protobuf) against protoc', () => {
  it('the greeter request encodes as protoc --encode does, and back', {skip: hasProtoc ? false : 'protoc missing: apt-get install -y protobuf-compiler'}, async () => {
    const codec = await loadCodec('protobuf');
    const schema = {file: join(HELLO, 'helloworld.proto'), type: 'HelloRequest'};
    const ours = await codec.encode({name: 'ada', count: 3}, schema);
    const ref = execFileSync('protoc', [`-I${HELLO}`, '--encode=helloworld.HelloRequest', 'helloworld.proto'], {input: 'name: "ada" count: 3'});
    assert.equal(hex(ours), hex(ref));
    assert.deepEqual(await codec.decode(ref, schema), {name: 'ada', count: 3});
  });

  it('every field kind round-trips; protoc decodes our bytes to the same values', {skip: hasProtoc ? false : 'protoc missing: apt-get install -y protobuf-compiler'}, async () => {
    const codec = await loadCodec('protobuf');
    const schema = {file: join(FIX, 'sample.proto'), type: 'sample.Sample'};
    const message = {...sampleJson, inners: [{label: 'a'}, {label: 'b'}], number: 5};
    const bytes = await codec.encode(message, schema);
    assert.deepEqual(await codec.decode(bytes, schema), message);
    const text = execFileSync('protoc', [`-I${FIX}`, '--decode=sample.Sample', 'sample.proto'], {input: Buffer.from(bytes)}).toString();
    assert.match(text, /big: 9007199254740993/);
    assert.match(text, /color: GREEN/);
    assert.match(text, /number: 5/);
    assert.match(text, /raw: "\\000\\001\\376"/);
  });

  it('unknown fields and types are named', async () => {
    const codec = await loadCodec('protobuf');
    await assert.rejects(codec.encode({nme: 'x'}, {file: join(HELLO, 'helloworld.proto'), type: 'HelloRequest'}), /HelloRequest has no field 'nme'/);
    await assert.rejects(codec.encode({}, {file: join(HELLO, 'helloworld.proto'), type: 'HelloRequst'}), (e) => isDialError(e) && /did you mean/.test(e.message));
    const root = await protobuf.load(join(HELLO, 'helloworld.proto'));
    assert.ok(root.lookupType('helloworld.HelloReply'));
  });
});

describe('thrift codecs (thrift npm protocols, IDL by @creditkarma/thrift-parser)', () => {
  const hello = {file: join(HELLO, 'helloworld.thrift'), type: 'HelloRequest'};
  it('bytes are the spec encodings of TBinaryProtocol and TCompactProtocol', async () => {
    // binary: field header (type 11, id 1), i32 length, bytes; (type 8, id 2), i32; stop.
    assert.equal(hex(await (await loadCodec('thrift-binary')).encode({name: 'ada', count: 3}, hello)), '0b0001000000036164610800020000000300');
    // compact: 0x18 = delta 1 + type 8 (binary), varint 3, bytes; 0x15 = delta 1 + i32, zigzag(3) = 6; stop.
    assert.equal(hex(await (await loadCodec('thrift-compact')).encode({name: 'ada', count: 3}, hello)), '1803616461150600');
  });

  for (const name of ['thrift-binary', 'thrift-compact']) {
    it(`${name}: every type round-trips (typedef, enum, union, set, map with int keys, nested lists)`, async () => {
      const codec = await loadCodec(name);
      const schema = {file: join(FIX, 'sample.thrift'), type: 'Sample'};
      const message = {...sampleJson, inners: [{label: 'a'}], choice: {number: 5}, shorts: [1, -2], tiny: -1, byNumber: {'7': {label: 'seven'}}};
      assert.deepEqual(await codec.decode(await codec.encode(message, schema), schema), message);
    });
  }

  it('schema errors: a required field, a union with two fields, an unknown struct', async () => {
    const codec = await loadCodec('thrift-binary');
    const schema = {file: join(FIX, 'sample.thrift'), type: 'Sample'};
    await assert.rejects(codec.encode({small: 1}, schema), /required field 'name'/);
    await assert.rejects(codec.encode({name: 'x', choice: {text: 'a', number: 1}}, schema), /takes exactly one field/);
    await assert.rejects(codec.encode({name: 'x', color: 'BLUE'}, schema), /not a value of enum Color \(RED, GREEN\)/);
    await assert.rejects(codec.bind({file: join(FIX, 'sample.thrift'), type: 'Sampel'}), /no struct 'Sampel'.*did you mean 'Sample'/);
  });

  it('truncated input is a clear error', async () => {
    const codec = await loadCodec('thrift-binary');
    await assert.rejects(codec.decode(Buffer.from('0b000100000003', 'hex'), hello), (e) => isDialError(e) && e.code === 'BAD_ENCODING');
  });
});

describe('avro codec (avsc)', () => {
  it('the greeter request is the spec bytes: zigzag varint length + UTF-8, zigzag int', async () => {
    const codec = await loadCodec('avro');
    const schema = {file: join(HELLO, 'helloworld.avsc'), type: 'HelloRequest'};
    assert.equal(hex(await codec.encode({name: 'ada', count: 3}, schema)), '0661646106');
  });

  it('every type round-trips in Avro JSON encoding; avsc reads our bytes', async () => {
    const codec = await loadCodec('avro');
    const schema = {file: join(FIX, 'sample.avsc')};
    const message = {name: 'ada', small: -7, big: 1234567890123, ratio: 0.25, flag: true, raw: '\u0000\u0001\u00fe', color: 'GREEN', tags: ['x'], counts: {a: 1}, inner: {label: 'in'}, maybe: {string: 'yes'}, fixed4: 'abcd'};
    const bytes = await codec.encode(message, schema);
    assert.deepEqual(await codec.decode(bytes, schema), message);
    const ref = avro.Type.forSchema(JSON.parse((await import('node:fs')).readFileSync(join(FIX, 'sample.avsc'), 'utf8')) as avro.Schema, {wrapUnions: true});
    const decoded = ref.fromBuffer(Buffer.from(bytes)) as {raw: Buffer; maybe: {string: string}};
    assert.deepEqual([...decoded.raw], [0, 1, 254]);
    assert.equal(decoded.maybe.string, 'yes');
  });
});

describe('msgpack, json and xml-rpc codecs', () => {
  it('msgpack: the bytes of the MessagePack spec, readable by msgpackr defaults', async () => {
    const codec = await loadCodec('msgpack');
    const bytes = await codec.encode({name: 'ada', n: 300, neg: -1, f: 0.5, ok: true, nil: null, list: [1]});
    assert.equal(hex(bytes.subarray(0, 10)), '87a46e616d65a3616461');
    assert.deepEqual(unpack(bytes), {name: 'ada', n: 300, neg: -1, f: 0.5, ok: true, nil: null, list: [1]});
    assert.deepEqual(await codec.decode(pack({bin: Buffer.from('hi'), big: 2n ** 64n - 1n})), {bin: 'aGk=', big: '18446744073709551615'});
  });

  it('json: compact UTF-8 and a clear error for non-JSON', async () => {
    const codec = await loadCodec('json');
    assert.equal(Buffer.from(await codec.encode({a: [1, 'é']})).toString(), '{"a":[1,"é"]}');
    await assert.rejects(codec.decode(Buffer.from('{nope')), /not JSON/);
  });

  it('decoded keys named __proto__ stay data (an XML-RPC struct member from the network)', async () => {
    const codec = await loadCodec('xml-rpc');
    const v = (await codec.decode(Buffer.from('<value><struct><member><name>__proto__</name><value><struct><member><name>polluted</name><value>1</value></member></struct></value></member></struct></value>'))) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.keys(v), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('unknown codec: a usage error with a suggestion', async () => {
    await assert.rejects(loadCodec('msgpak'), (e) => isDialError(e) && e.exitCode === 2 && /did you mean 'msgpack'/.test(e.message));
  });
});

describe('bytes formats and compare', () => {
  it('hex (with spaces, colons, 0x) and base64 (also url-safe) parse', () => {
    assert.equal(hex(parseBytes(Buffer.from('0x0a 03:61'), 'hex')), '0a0361');
    assert.equal(hex(parseBytes(Buffer.from('CgNh'), 'base64')), '0a0361');
    assert.equal(formatBytes(Buffer.from([255]), 'base64'), '/w==');
    assert.throws(() => parseBytes(Buffer.from('abc'), 'hex'), /not hex/);
  });

  it('compare encodes one message in every codec with a schema for it', async () => {
    const r = await compareCodecs({message: {name: 'ada', count: 3}, type: 'HelloRequest', iterations: 20, budgetMs: 20,
      schemas: [join(HELLO, 'helloworld.proto'), join(HELLO, 'helloworld.thrift'), join(HELLO, 'helloworld.avsc')]});
    assert.deepEqual(r.rows.map((x) => x.codec), ['json', 'msgpack', 'xml-rpc', 'protobuf', 'thrift-binary', 'thrift-compact', 'avro']);
    const size = Object.fromEntries(r.rows.map((x) => [x.codec, x.bytes]));
    assert.deepEqual([size.json, size.protobuf, size['thrift-binary'], size['thrift-compact'], size.avro], [24, 7, 18, 8, 5]);
    assert.ok(r.rows.every((x) => x.encodeUs > 0 && x.decodeUs > 0 && x.iterations >= 10));
    await assert.rejects(compareCodecs({message: {}, schemas: ['x.json']}), /not a \.proto, \.protoset, \.thrift or \.avsc/);
  });
});
