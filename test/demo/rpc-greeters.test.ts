import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {callAt} from '../rpc/protocols/helpers.js';
import {runDemo, setFault} from './run-demo.js';

describe('demo greeter-jsonrpc (jayson)', () => {
  let demo: Awaited<ReturnType<typeof runDemo>>;
  before(async () => {
    demo = await runDemo('greeter-jsonrpc', 'demo/greeter/json-rpc-main.js');
  });
  after(() => demo.stop());

  it('registers protocol json-rpc and greets with params by name or position', async () => {
    const reg = demo.registrations[0] as {Meta: Record<string, string>};
    assert.deepEqual([reg.Meta.protocol, reg.Meta.codec], ['json-rpc', 'json']);
    assert.deepEqual((await callAt('json-rpc', demo.hostPort, 'SayHello', {data: [{name: 'ada'}]})).messages, [{message: 'Hello, ada!', instance: 'greeter-jsonrpc-1'}]);
    assert.equal(((await callAt('json-rpc', demo.hostPort, 'SayHello', {data: [['bob']]})).messages[0] as {message: string}).message, 'Hello, bob!');
    assert.equal(((await callAt('json-rpc', demo.hostPort, 'SayHello')).messages[0] as {message: string}).message, 'Hello, world!');
  });

  it('a batch: results in request order, a failed call as its error object', async () => {
    const o = await callAt('json-rpc', demo.hostPort, 'SayHello', {data: [['a'], {name: 'b'}, {name: 3}]});
    assert.equal(o.kind, 'batch');
    assert.equal((o.messages[1] as {message: string}).message, 'Hello, b!');
    assert.equal((o.messages[2] as {error: {code: number}}).error.code, -32602);
    assert.deepEqual([o.status.name, o.status.message], ['INVALID_ARGUMENT', '1 of 3 calls failed; first: JSON-RPC error -32602: name must be a string']);
  });

  it('error objects map to gRPC statuses: unknown method UNIMPLEMENTED', async () => {
    const o = await callAt('json-rpc', demo.hostPort, 'SayHelo');
    assert.equal(o.status.name, 'UNIMPLEMENTED');
    assert.equal((o.status.details?.[0] as {code: number}).code, -32601);
  });

  it('fault injection answers 503: UNAVAILABLE', async () => {
    await setFault(demo, {errorRate: 1});
    const o = await callAt('json-rpc', demo.hostPort, 'SayHello');
    demo.send({type: 'heal'});
    assert.deepEqual([o.http.status, o.status.name], [503, 'UNAVAILABLE']);
  });
});

describe('demo greeter-xmlrpc (xmlrpc package serializer)', () => {
  let demo: Awaited<ReturnType<typeof runDemo>>;
  before(async () => {
    demo = await runDemo('greeter-xmlrpc', 'demo/greeter/xml-rpc-main.js');
  });
  after(() => demo.stop());

  it('registers protocol xml-rpc and greets with a struct or a string param', async () => {
    const reg = demo.registrations[0] as {Meta: Record<string, string>};
    assert.deepEqual([reg.Meta.protocol, reg.Meta.codec], ['xml-rpc', 'xml']);
    assert.deepEqual((await callAt('xml-rpc', demo.hostPort, 'SayHello', {data: [{name: 'ada'}]})).messages, [{message: 'Hello, ada!', instance: 'greeter-xmlrpc-1'}]);
    assert.equal(((await callAt('xml-rpc', demo.hostPort, 'SayHello', {data: [['bob']]})).messages[0] as {message: string}).message, 'Hello, bob!');
  });

  it('Echo returns every XML-RPC type unchanged', async () => {
    const value = {
      s: 'a <b> & "c"', i: -42, big: 2 ** 31, d: 1.5, t: true, f: false, n: null, empty: '',
      when: {'$dateTime.iso8601': '19980717T14:08:55'}, bytes: {'$base64': Buffer.from('hi\u0000there').toString('base64')},
      list: [1, 'two', [3], {four: 4}], nested: {deep: {deeper: []}},
    };
    const o = await callAt('xml-rpc', demo.hostPort, 'Echo', {data: [value]});
    assert.equal(o.status.code, 0, o.status.message);
    assert.deepEqual(o.messages[0], value);
  });

  it('faults map to gRPC statuses with the fault in the details; injected faults are UNAVAILABLE', async () => {
    const nf = await callAt('xml-rpc', demo.hostPort, 'Nope');
    assert.deepEqual([nf.status.name, nf.status.message], ['UNIMPLEMENTED', 'XML-RPC fault -32601: method not found: Nope']);
    assert.deepEqual(nf.status.details, [{faultCode: -32601, faultString: 'method not found: Nope'}]);
    const bad = await callAt('xml-rpc', demo.hostPort, 'SayHello', {data: [5]});
    assert.equal(bad.status.name, 'INVALID_ARGUMENT');
    await setFault(demo, {errorRate: 1});
    const o = await callAt('xml-rpc', demo.hostPort, 'SayHello');
    demo.send({type: 'heal'});
    assert.deepEqual([o.http.status, o.status.name], [503, 'UNAVAILABLE']);
  });
});
