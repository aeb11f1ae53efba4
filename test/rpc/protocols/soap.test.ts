import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {listen as soapListen} from 'soap';
import {describeSoap} from '../../../src/rpc/protocols/soap-describe.js';
import {summarizeWsdl, findOperation} from '../../../src/rpc/protocols/wsdl.js';
import type {Registry} from '../../../src/registry/index.js';
import {callAt, listen} from './helpers.js';

// An rpc/literal calculator WSDL (SOAP 1.1), served by node-soap's own server.
const calcWsdl = (origin: string) => `<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:calc" targetNamespace="urn:calc" name="Calc">
  <wsdl:message name="AddIn"><wsdl:part name="a" type="xs:int"/><wsdl:part name="b" type="xs:int"/></wsdl:message>
  <wsdl:message name="AddOut"><wsdl:part name="sum" type="xs:int"/></wsdl:message>
  <wsdl:portType name="CalcPort"><wsdl:operation name="Add"><wsdl:input message="tns:AddIn"/><wsdl:output message="tns:AddOut"/></wsdl:operation>
    <wsdl:operation name="Divide"><wsdl:input message="tns:AddIn"/><wsdl:output message="tns:AddOut"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="CalcBinding" type="tns:CalcPort"><s:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Add"><s:operation soapAction="urn:calc#Add"/><wsdl:input><s:body use="literal" namespace="urn:calc"/></wsdl:input><wsdl:output><s:body use="literal" namespace="urn:calc"/></wsdl:output></wsdl:operation>
    <wsdl:operation name="Divide"><s:operation soapAction="urn:calc#Divide"/><wsdl:input><s:body use="literal" namespace="urn:calc"/></wsdl:input><wsdl:output><s:body use="literal" namespace="urn:calc"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="CalcService"><wsdl:port name="CalcSoap" binding="tns:CalcBinding"><s:address location="${origin}/calc"/></wsdl:port></wsdl:service>
</wsdl:definitions>`;

const noRegistry = (): Promise<Registry> => Promise.reject(new Error('no registry in this test'));

describe('SOAP against a node-soap server (rpc/literal, SOAP 1.1)', () => {
  let srv: Awaited<ReturnType<typeof listen>>;
  let dir: string;
  let wsdlFile: string;
  before(async () => {
    srv = await listen(createServer((_req, res) => void res.writeHead(404).end()));
    const xml = calcWsdl('http://elsewhere.invalid:1');
    soapListen(srv.server, '/calc', {
      CalcService: {CalcSoap: {
        Add: (args: {a: string; b: string}) => ({sum: Number(args.a) + Number(args.b)}),
        Divide: (args: {a: string; b: string}) => {
          if (Number(args.b) === 0) throw {Fault: {faultcode: 'soap:Client', faultstring: 'division by zero', detail: {operand: 'b'}}};
          return {sum: Math.trunc(Number(args.a) / Number(args.b))};
        },
      }},
    }, xml);
    dir = mkdtempSync(join(tmpdir(), 'dial-wsdl-'));
    wsdlFile = join(dir, 'calc.wsdl');
    writeFileSync(wsdlFile, xml);
  });
  after(async () => {
    rmSync(dir, {recursive: true, force: true});
    await srv.close();
  });

  it('a WSDL file (--wsdl FILE) whose address points elsewhere: the call goes to the target, keeping the path', async () => {
    const o = await callAt('soap', srv.hostPort, 'Add', {data: [{a: 2, b: 40}], http: {wsdl: wsdlFile}});
    assert.equal(o.status.code, 0, o.status.message);
    assert.equal(o.http.url, `http://${srv.hostPort}/calc`);
    assert.deepEqual(o.messages, [{sum: 42}]);
  });

  it('the WSDL from the server (?wsdl URL)', async () => {
    const o = await callAt('soap', srv.hostPort, 'CalcService.CalcSoap.Add', {data: [{a: 1, b: 1}], http: {wsdl: `http://${srv.hostPort}/calc?wsdl`}});
    assert.deepEqual(o.messages, [{sum: 2}]);
  });

  it('a Client fault: INVALID_ARGUMENT with the fault detail', async () => {
    const o = await callAt('soap', srv.hostPort, 'Divide', {data: [{a: 1, b: 0}], http: {wsdl: wsdlFile}});
    assert.deepEqual([o.status.name, o.status.message], ['INVALID_ARGUMENT', 'SOAP fault soap:Client: division by zero']);
    assert.deepEqual((o.status.details?.[0] as {detail: unknown}).detail, {operand: 'b'});
  });

  it('there is no SOAP 1.2 port: a clear error naming the ports', async () => {
    await assert.rejects(callAt('soap', srv.hostPort, 'Add', {http: {wsdl: wsdlFile, soapVersion: '1.2'}}), /no operation 'Add' in a SOAP 1.2 port/);
  });

  it('an unknown operation suggests the near miss', async () => {
    await assert.rejects(callAt('soap', srv.hostPort, 'Ad', {http: {wsdl: wsdlFile}}), /no operation 'Ad' in .* \(did you mean 'Add'\?\)/);
  });

  it('describe lists services, ports and operations with their input and output', async () => {
    const d = await describeSoap({target: srv.hostPort, registry: noRegistry, http: {wsdl: wsdlFile}});
    assert.equal(d.targetNamespace, 'urn:calc');
    const port = d.services[0].ports[0];
    assert.deepEqual([d.services[0].name, port.name, port.soapVersion], ['CalcService', 'CalcSoap', '1.1']);
    assert.deepEqual(port.operations.map((o) => [o.name, o.soapAction]), [['Add', 'urn:calc#Add'], ['Divide', 'urn:calc#Divide']]);
    assert.deepEqual(port.operations[0].input, {a: 'xs:int', b: 'xs:int'});
    const one = await describeSoap({target: srv.hostPort, registry: noRegistry, http: {wsdl: wsdlFile}, symbol: 'Divide'});
    assert.deepEqual(one.services[0].ports[0].operations.map((o) => o.name), ['Divide']);
  });

  it('a missing WSDL file or a non-WSDL document: clear errors', async () => {
    await assert.rejects(callAt('soap', srv.hostPort, 'Add', {http: {wsdl: join(dir, 'nope.wsdl')}}), /cannot read the WSDL file .*no such file/);
    assert.throws(() => summarizeWsdl('<html/>', 'x.html'), /no <definitions> root element/);
  });
});

describe('WSDL summary', () => {
  it('tells SOAP 1.1 from 1.2 by the binding namespace, whatever the prefixes', () => {
    const s = summarizeWsdl(`<d:definitions xmlns:d="http://schemas.xmlsoap.org/wsdl/" xmlns:x="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:y="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:t="urn:t" targetNamespace="urn:t">
      <d:binding name="B12" type="t:P"><x:binding style="document"/><d:operation name="Op"/></d:binding>
      <d:binding name="B11" type="t:P"><y:binding style="document"/><d:operation name="Op"/></d:binding>
      <d:service name="S"><d:port name="P11" binding="t:B11"><y:address location="http://a/1"/></d:port><d:port name="P12" binding="t:B12"><x:address location="http://a/2"/></d:port></d:service>
    </d:definitions>`, 'mem');
    assert.deepEqual(s.ports.map((p) => [p.name, p.soapVersion, p.location]), [['P11', '1.1', 'http://a/1'], ['P12', '1.2', 'http://a/2']]);
    assert.equal(findOperation(s, 'Op').port.name, 'P11');
    assert.equal(findOperation(s, 'Op', '1.2').port.name, 'P12');
    assert.equal(findOperation(s, 'S.P12.Op').port.name, 'P12');
  });
});

describe('describeSoap without a target', () => {
  it('describes the WSDL file alone; neither TARGET nor --wsdl is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dial-wsdl-'));
    const file = join(dir, 'calc.wsdl');
    writeFileSync(file, calcWsdl('http://calc.invalid:8080'));
    const d = await describeSoap({registry: noRegistry, http: {wsdl: file}});
    assert.equal(d.services[0].ports[0].location, 'http://calc.invalid:8080/calc');
    await assert.rejects(describeSoap({registry: noRegistry}), /needs a TARGET or --wsdl/);
    rmSync(dir, {recursive: true, force: true});
  });
});
