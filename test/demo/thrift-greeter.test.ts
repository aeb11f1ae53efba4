import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import {callThrift} from '../../src/rpc/thrift/call.js';
import {ROOT} from '../helpers/cli.js';
import {FIXTURES, generate, PYTHON, thriftMissing} from '../helpers/thrift.js';
import {runDemo, setFault} from './run-demo.js';

const IDL = join(ROOT, 'proto', 'helloworld', 'helloworld.thrift');
const noRegistry = () => Promise.reject(new Error('no registry in this test'));

describe('demo greeter-thrift (npm thrift server, framed + binary, served from the IDL)', () => {
  let demo: Awaited<ReturnType<typeof runDemo>>;
  before(async () => {
    demo = await runDemo('greeter-thrift', 'demo/greeter/thrift-main.js');
  });
  after(() => demo.stop());
  const call = (method: string, data: unknown) => callThrift({target: demo.hostPort, method, messages: [data], registry: noRegistry, timeoutMs: 5000, thrift: {schema: IDL}});

  it('registers protocol thrift with its transport, protocol and IDL in the metadata, and a TCP check', () => {
    const reg = demo.registrations[0] as {Meta: Record<string, string>; Checks: {TCP?: string}[]};
    assert.deepEqual([reg.Meta.protocol, reg.Meta.codec, reg.Meta.thrift_transport, reg.Meta.thrift_protocol, reg.Meta.thrift_idl], ['thrift', 'thrift-binary', 'framed', 'binary', IDL]);
    assert.equal(reg.Checks[0].TCP, demo.hostPort);
  });

  it('SayHello: the arguments by name, or the one struct argument\'s fields', async () => {
    for (const data of [{request: {name: 'ada'}}, {name: 'ada'}]) {
      const o = await call('Greeter.SayHello', data);
      assert.deepEqual([o.status.code, o.messages], [0, [{message: 'Hello, ada!', instance: 'greeter-thrift-1'}]]);
    }
  });

  it('the declared InvalidName, oneway Notify counted by NoteCount, an injected fault as TApplicationException INTERNAL_ERROR', async () => {
    const bad = await call('SayHello', {name: 'x'.repeat(65)});
    assert.deepEqual([bad.status.code, (bad.status.details?.[0] as {'@type': string})['@type']], [2, 'InvalidName']);
    const n0 = (await call('NoteCount', {})).messages[0] as number;
    assert.equal((await call('Notify', {note: 'hi'})).kind, 'oneway');
    let n = n0;
    for (let i = 0; i < 50 && n === n0; i++) n = (await call('NoteCount', {})).messages[0] as number;
    assert.equal(n, n0 + 1);
    await setFault(demo, {errorRate: 1});
    const f = await call('SayHello', {name: 'x'});
    demo.send({type: 'heal'});
    assert.deepEqual([f.status.code, f.status.name, f.status.message], [13, 'INTERNAL', 'TApplicationException INTERNAL_ERROR: injected fault on greeter-thrift-1']);
  });

  it('an independent client (Python, code from thrift --gen py) calls it', {skip: thriftMissing()}, async () => {
    const gen = generate('py', IDL);
    try {
      const {stdout} = await promisify(execFile)(PYTHON, [join(FIXTURES, 'py_client.py'), gen, String(demo.hostPort.split(':')[1])], {timeout: 20_000});
      const r = JSON.parse(stdout) as {reply: unknown; invalid: unknown; notes: number};
      assert.deepEqual(r.reply, {message: 'Hello, ada!', instance: 'greeter-thrift-1'});
      assert.deepEqual(r.invalid, {name_length: 65, reason: 'a name has at most 64 characters'});
      assert.ok(r.notes >= 1);
    } finally {
      rmSync(gen, {recursive: true, force: true});
    }
  });
});
