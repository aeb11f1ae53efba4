import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {callAt} from '../rpc/protocols/helpers.js';
import {runDemo, setFault} from './run-demo.js';

describe('demo greeter-soap (node-soap, SOAP 1.1 and 1.2)', () => {
  let demo: Awaited<ReturnType<typeof runDemo>>;
  let wsdl: string;
  before(async () => {
    demo = await runDemo('greeter-soap', 'demo/greeter/soap-main.js');
    wsdl = `http://${demo.hostPort}/greeter?wsdl`;
  });
  after(() => demo.stop());

  it('registers protocol soap with the WSDL path in its metadata', () => {
    const reg = demo.registrations[0] as {Meta: Record<string, string>};
    assert.deepEqual([reg.Meta.protocol, reg.Meta.codec, reg.Meta.wsdl], ['soap', 'xml', '/greeter?wsdl']);
  });

  it('SOAP 1.1 by default (the first port); the body comes back as JSON', async () => {
    const o = await callAt('soap', demo.hostPort, 'SayHello', {data: [{name: 'ada'}], http: {wsdl}});
    assert.equal(o.status.code, 0, o.status.message);
    assert.deepEqual(o.messages, [{message: 'Hello, ada!', instance: 'greeter-soap-1'}]);
    assert.equal(o.method, 'GreeterService.GreeterSoap.SayHello');
    assert.match(o.requestHeaders.SOAPAction ?? o.requestHeaders.soapaction ?? '', /urn:dial:greeter#SayHello/);
    assert.match(o.responseHeaders['content-type'], /text\/xml/);
  });

  it('SOAP 1.2 with --soap-version 1.2 or the port name', async () => {
    for (const [method, version] of [['SayHello', '1.2'], ['GreeterSoap12.SayHello', undefined]] as const) {
      const o = await callAt('soap', demo.hostPort, method, {data: [{name: 'bob'}], http: {wsdl, soapVersion: version}});
      assert.equal(o.status.code, 0, o.status.message);
      assert.equal(o.method, 'GreeterService.GreeterSoap12.SayHello');
      assert.match(o.responseHeaders['content-type'], /application\/soap\+xml/);
      assert.equal((o.messages[0] as {message: string}).message, 'Hello, bob!');
    }
  });

  it('faults map to statuses: Client/Sender INVALID_ARGUMENT in both versions, injected Server fault with 503 UNAVAILABLE', async () => {
    const c11 = await callAt('soap', demo.hostPort, 'SayHello', {data: [{name: ''}], http: {wsdl}});
    assert.deepEqual([c11.http.status, c11.status.name, c11.status.message], [500, 'INVALID_ARGUMENT', 'SOAP fault soap:Client: name must not be empty']);
    const c12 = await callAt('soap', demo.hostPort, 'SayHello', {data: [{name: ''}], http: {wsdl, soapVersion: '1.2'}});
    assert.deepEqual([c12.status.name, c12.status.message], ['INVALID_ARGUMENT', 'SOAP fault soap:Sender: name must not be empty']);
    await setFault(demo, {errorRate: 1});
    const f = await callAt('soap', demo.hostPort, 'SayHello', {data: [{name: 'x'}], http: {wsdl}});
    demo.send({type: 'heal'});
    assert.deepEqual([f.http.status, f.status.name], [503, 'UNAVAILABLE']);
  });

  it('an unknown operation is UNIMPLEMENTED with the operations in the hint', async () => {
    await assert.rejects(callAt('soap', demo.hostPort, 'SayHelo', {http: {wsdl}}), (e: Error & {exitCode?: number; hint?: string}) => e.exitCode === 76 && /operations: SayHello/.test(e.hint ?? ''));
  });
});
