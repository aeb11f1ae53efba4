import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {javaCodec} from '../../src/codecs/java.js';
import {readJavaStream} from '../../src/codecs/java-stream.js';
import {isDialError} from '../../src/errors/index.js';
import {ROOT} from '../helpers/cli.js';

// Streams written by the JDK (test/fixtures/java/MakeFixtures.java shows how; the .ser files are committed).
const fixture = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'java', `${name}.ser`));
type Obj = Record<string, unknown>;

describe('java codec: reading real ObjectOutputStream streams', () => {
  it('an object with a superclass: every primitive type, shadowed fields, arrays, an enum, a cycle', async () => {
    const p = (await javaCodec.decode(fixture('point'))) as Obj;
    assert.equal(p.$class, 'MakeFixtures$Point');
    assert.deepEqual([p.id, p.b, p.c, p.s, p.x, p.small, p.f, p.d, p.flag], [7, -3, 'Z', 300, -123456, -5, 1.5, Math.PI, true]);
    assert.equal(p.big, '9007199254740993', 'a long beyond 2^53 stays exact as a string');
    assert.equal(p.label, 'point', 'the subclass field keeps the plain name');
    assert.equal(p['MakeFixtures$Base.label'], 'base', 'the shadowed superclass field is qualified');
    assert.deepEqual(p.ints, {$array: '[I', $handle: (p.ints as Obj).$handle, values: [1, 2, 3]});
    assert.equal((p.raw as Obj).base64, Buffer.from([0, 1, 255]).toString('base64'));
    assert.deepEqual((p.names as Obj).values, ['a', null, 'a']);
    assert.deepEqual(p.color, {$enum: 'MakeFixtures$Color', value: 'GREEN'});
    assert.deepEqual(p.self, {$ref: p.$handle});
  });

  it('strings: modified UTF-8 (NUL, 2- and 3-byte, surrogate pairs) and a TC_LONGSTRING over 64 KiB', () => {
    const [plain, unicode, long] = readJavaStream(fixture('strings'));
    assert.equal(plain, 'plain');
    assert.equal(unicode, 'nul\u0000 é € \u{1F600}');
    assert.equal(long, 'x'.repeat(70000));
  });

  it('collections and maps: custom writeObject data read as contents, with $elements and $entries', () => {
    const [list, linked, hash] = readJavaStream(fixture('collections')) as Obj[];
    assert.equal(list.$class, 'java.util.ArrayList');
    assert.equal(list.size, 3);
    const elements = list.$elements as Obj[];
    assert.equal(elements[0], 'one');
    assert.deepEqual([elements[1].$class, elements[1].value, elements[2].$class, elements[2].value], ['java.lang.Integer', 2, 'java.lang.Long', 3]);
    assert.equal(linked.$class, 'java.util.LinkedHashMap');
    const entries = linked.$entries as [unknown, Obj][];
    assert.deepEqual(entries.map(([k]) => k), ['k1', 'k2']);
    assert.equal(entries[0][1], 'v1');
    const hashEntries = hash.$entries as [Obj, unknown][];
    assert.deepEqual(hashEntries[0][1], 'one');
    assert.ok('$ref' in hashEntries[0][0], 'the Integer 1 key is the one already written in the list: a back reference');
  });

  it('writeObject extras, Externalizable, a class literal, an enum constant', () => {
    const [custom, ext, cls, red] = readJavaStream(fixture('custom')) as Obj[];
    assert.equal(custom.name, 'custom');
    assert.deepEqual((custom.$annotations as Obj[])[0].contents, [{$blockdata: Buffer.from([0, 0, 0, 99]).toString('base64')}, 'extra']);
    assert.deepEqual((ext.$annotations as Obj[])[0].externalContents, [{$blockdata: Buffer.concat([Buffer.from([0, 3]), Buffer.from('ext'), Buffer.from([0, 0, 0, 5])]).toString('base64')}]);
    assert.deepEqual(cls, {$classRef: 'java.lang.String'});
    assert.deepEqual(red, {$enum: 'MakeFixtures$Color', value: 'RED'});
  });

  it('block data from writeInt and a reset between objects', () => {
    assert.deepEqual(readJavaStream(fixture('mixed')), [{$blockdata: Buffer.from([0, 0, 0x30, 0x39]).toString('base64')}, 'after-int', 'after-reset']);
  });

  it('hostile or broken input: clear errors, bounded work', async () => {
    const bad = (hexText: string, re: RegExp) => assert.throws(() => readJavaStream(Buffer.from(hexText, 'hex')), (e) => isDialError(e) && e.exitCode === 2 && re.test(e.message));
    bad('cafebabe', /no AC ED magic/);
    bad('aced0004', /stream version 4/);
    bad('aced0005740010', /truncated/);
    bad('aced000571007e0009', /unknown handle/);
    bad('aced000575' + '72000249' + '5d' + '0000000000000000' + '02' + '0000' + '78' + '70' + '7fffffff', /array of 2147483647 elements/);
    bad('aced0005' + '73'.repeat(600), /expected a class descriptor|deeper/);
    const point = fixture('point');
    bad(point.subarray(0, point.length - 10).toString('hex'), /truncated/);
    await assert.rejects(javaCodec.encode({}), /only decodes/);
  });
});
