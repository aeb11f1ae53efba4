import assert from 'node:assert/strict';
import {Readable} from 'node:stream';
import {describe, it} from 'node:test';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import Serializer from 'xmlrpc/lib/serializer.js';
import {xmlRpcCodec} from '../../src/codecs/xml-rpc.js';
import {isDialError} from '../../src/errors/index.js';

const deserializeCall = (xml: Buffer | Uint8Array) => new Promise<{method: string; params: unknown[]}>((resolve, reject) => {
  new Deserializer().deserializeMethodCall(Readable.from([Buffer.from(xml)]), (e, method, params) => (e ? reject(e) : resolve({method, params})));
});
const deserializeResponse = (xml: Buffer | Uint8Array) => new Promise<unknown>((resolve, reject) => {
  new Deserializer().deserializeMethodResponse(Readable.from([Buffer.from(xml)]), (e, value) => (e ? reject(e) : resolve(value)));
});

describe('xml-rpc codec against the xmlrpc package (the reference implementation on npm)', () => {
  it('encodes a methodCall the reference deserializer reads with the right types', async () => {
    const bytes = await xmlRpcCodec.encode(['x & <y>', 7, -1.25, false, null, {'$dateTime.iso8601': '20240102T03:04:05'}, {'$base64': 'AAEC'}, {'$i8': '9007199254740993'}, [1, [2]], {a: {b: 'c'}}], {file: '', type: 'demo.call'});
    const {method, params} = await deserializeCall(bytes);
    assert.equal(method, 'demo.call');
    assert.equal(params[0], 'x & <y>');
    assert.deepEqual(params.slice(1, 5), [7, -1.25, false, null]);
    assert.ok(params[5] instanceof Date);
    assert.equal((params[5] as Date).getFullYear(), 2024);
    assert.deepEqual(params[6], Buffer.from([0, 1, 2]));
    assert.deepEqual(params.slice(8), [[1, [2]], {a: {b: 'c'}}]);
  });

  it('decodes what the reference serializer writes', async () => {
    const xml = Serializer.serializeMethodResponse({s: 'hi', n: 3, f: 0.5, ok: true, list: ['a', {z: null}], bin: Buffer.from('hey')});
    assert.deepEqual(await xmlRpcCodec.decode(Buffer.from(xml)), {s: 'hi', n: 3, f: 0.5, ok: true, list: ['a', {z: null}], bin: {'$base64': Buffer.from('hey').toString('base64')}});
    const call = Serializer.serializeMethodCall('m.x', [1, 'two']);
    assert.deepEqual(await xmlRpcCodec.decode(Buffer.from(call)), {methodName: 'm.x', params: [1, 'two']});
    const fault = Serializer.serializeFault({faultCode: 4, faultString: 'too many'});
    assert.deepEqual(await xmlRpcCodec.decode(Buffer.from(fault)), {$fault: {faultCode: 4, faultString: 'too many'}});
  });

  it('round-trips through its own decoder and the reference one', async () => {
    const value = {name: 'ada', tags: ['x', 'y'], when: {'$dateTime.iso8601': '19980717T14:08:55'}, count: 2 ** 31 + 1, ratio: 0.1};
    const bytes = await xmlRpcCodec.encode(value);
    assert.deepEqual(await xmlRpcCodec.decode(bytes), value);
    const ref = (await deserializeResponse(bytes)) as Record<string, unknown>;
    assert.equal(ref.count, 2 ** 31 + 1);
    assert.deepEqual(ref.tags, ['x', 'y']);
  });

  it('untyped <value> text is a string; i4, whitespace and entities are read as the spec says', async () => {
    const xml = '<?xml version="1.0"?><methodResponse><params><param><value><struct>\n <member><name>a</name><value>  plain  </value></member>\n <member><name>b</name><value><i4> 12 </i4></value></member><member><name>c</name><value><string>&lt;&amp;&gt;</string></value></member></struct></value></param></params></methodResponse>';
    assert.deepEqual(await xmlRpcCodec.decode(Buffer.from(xml)), {a: '  plain  ', b: 12, c: '<&>'});
  });

  it('bad input is a clear error, never a crash', async () => {
    await assert.rejects(xmlRpcCodec.decode(Buffer.from('<methodResponse><params><param><value><int>x</int></value></param></params></methodResponse>')), (e) => isDialError(e) && /not an integer/.test(e.message));
    await assert.rejects(xmlRpcCodec.decode(Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><value>&a;</value>')), /DOCTYPE/);
    await assert.rejects(xmlRpcCodec.decode(Buffer.from('<html></html>')), /root element <html>/);
    await assert.rejects(xmlRpcCodec.encode({'$dateTime.iso8601': 5}), /wants a string/);
    await assert.rejects(xmlRpcCodec.encode('bell\u0007'), /control character/);
  });

  it('a truncated or mismatched document is an error, not an empty answer', async () => {
    const bad = (text: string, why: RegExp) => assert.rejects(xmlRpcCodec.decode(Buffer.from(text)), (e) => isDialError(e) && e.code === 'BAD_ENCODING' && why.test(e.message), text);
    await bad('<methodResponse><params><param><value>x</value></param></params>', /Unclosed tag 'methodResponse'.*line 1/);
    await bad('<methodResponse><params><param><value>x</value></param>', /the document ends inside <methodResponse> <params> \(those tags are never closed\)/);
    await bad('<methodResponse><params><param><value><string>x</value></param></params></methodResponse>', /closing tag 'string'/);
    await bad('<methodResponse></methodResponse>', /neither <params> nor <fault>/);
    await bad('<methodResponse><params><param><value>1</value></param></params></methodResponse>junk', /Extra text/);
    assert.deepEqual(await xmlRpcCodec.decode(Buffer.from('<methodResponse><params><param><value><string>a&amp;b</string></value></param></params></methodResponse>')), 'a&b');
  });

  it('reads what real servers send: a stray newline or BOM first, character references, a declared encoding', async () => {
    const response = (s: string) => `<methodResponse><params><param><value><string>${s}</string></value></param></params></methodResponse>`;
    assert.equal(await xmlRpcCodec.decode(Buffer.from(`\n  <?xml version="1.0"?>${response('x')}`)), 'x');
    assert.equal(await xmlRpcCodec.decode(Buffer.from(`\uFEFF<?xml version="1.0"?>${response('x')}`)), 'x');
    assert.equal(await xmlRpcCodec.decode(Buffer.from(response('caf&#233; &#x41;&lt;'))), 'café A<');
    assert.equal(await xmlRpcCodec.decode(Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>${response('café')}`, 'latin1')), 'café');
    assert.equal(await xmlRpcCodec.decode(Buffer.from(`<?xml version='1.0' encoding='utf-8'?>${response('日本')}`)), '日本');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>${response('ü')}`, 'utf16le')]);
    assert.equal(await xmlRpcCodec.decode(utf16), 'ü');
    await assert.rejects(xmlRpcCodec.decode(Buffer.from(`<?xml version="1.0" encoding="x-klingon"?>${response('x')}`)), /encoding="x-klingon", which dial cannot decode/);
  });
});
