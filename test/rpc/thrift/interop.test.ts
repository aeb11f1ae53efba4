import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {callThrift, type ThriftCallRequest} from '../../../src/rpc/thrift/call.js';
import {INCLUDE_DIR, INTEROP_IDL, startNpmServer, startPythonServer, thriftMissing, type ServerProcess} from '../../helpers/thrift.js';
import {ROOT} from '../../helpers/cli.js';
import {join} from 'node:path';

const skip = thriftMissing();
const noRegistry = () => Promise.reject(new Error('no registry in this test'));

/** A value with every Thrift type of interop.thrift's Everything, in dial's JSON mapping. */
const EVERYTHING = {
  flag: true, b: -5, small: 300, medium: -70000, big: '9007199254740993', ratio: 0.25, text: 'héllo ✓ "quoted"',
  blob: Buffer.from([0, 1, 2, 255]).toString('base64'), nums: [1, 2, 3], tags: ['a', 'b'], counts: {x: '-9007199254740993', y: 2},
  color: 'BLUE', note: {text: 'n', at: 5}, points: [{x: 1, y: 2}, {x: -3, y: 4}], byId: {7: {x: 7, y: 8}},
};

const sortTags = (v: unknown) => ({...(v as Record<string, unknown>), tags: [...((v as {tags: string[]}).tags)].sort()});

type Expected = {code: number; type: string};

function suite(name: string, start: () => Promise<ServerProcess>, undeclared: Expected, unknownMethod: Expected) {
  describe(`dial calls ${name}`, {skip}, () => {
    let server: ServerProcess;
    before(async () => {
      server = await start();
    });
    after(() => server?.stop());
    const call = (key: string, method: string, data: unknown, more: Partial<ThriftCallRequest> = {}) => {
      const [transport, protocol] = key === 'multiplexed' ? ['framed', 'binary'] : key.split('-');
      const path = transport === 'http' ? '/thrift' : '';
      const target = transport === 'http' ? `http://127.0.0.1:${server.ports[key]}${path}` : `127.0.0.1:${server.ports[key]}`;
      return callThrift({target, method, messages: [data], registry: noRegistry, timeoutMs: 5000, thrift: {schema: INTEROP_IDL, importPaths: [INCLUDE_DIR], transport, protocol}, ...more});
    };

    for (const transport of ['framed', 'buffered', 'http']) {
      for (const protocol of ['binary', 'compact', 'json']) {
        it(`${transport} transport, ${protocol} protocol: every type round-trips through echo; two struct arguments`, async () => {
          const o = await call(`${transport}-${protocol}`, 'Echo.echo', {e: EVERYTHING});
          assert.equal(o.status.code, 0, o.status.message);
          assert.deepEqual(sortTags(o.messages[0]), EVERYTHING);
          assert.deepEqual([o.thrift.transport, o.thrift.protocol, o.codec], [transport, protocol, `thrift-${protocol}`]);
          const add = await call(`${transport}-${protocol}`, 'Echo/add', {a: {x: 1, y: 2}, b: {x: 40, y: -2}});
          assert.deepEqual(add.messages, [{x: 41, y: 0}]);
        });
      }
    }

    it('a declared exception comes back as JSON with its type, status UNKNOWN (exit 66)', async () => {
      const nf = await call('framed-binary', 'lookup', {key: 'missing-1'});
      assert.deepEqual([nf.status.code, nf.status.name, nf.status.message], [2, 'UNKNOWN', 'Echo.lookup threw NotFound']);
      assert.deepEqual(nf.status.details, [{'@type': 'NotFound', key: 'missing-1', code: 404}]);
      assert.deepEqual(nf.messages, []);
      const inv = await call('buffered-compact', 'lookup', {key: ''});
      assert.deepEqual(inv.status.details, [{'@type': 'Invalid', reason: 'empty key'}]);
      const ok = await call('http-json', 'lookup', {key: 'k'});
      assert.deepEqual([ok.status.code, ok.messages], [0, ['value of k']]);
    });

    it(`an undeclared handler error is a TApplicationException ${undeclared.type}`, async () => {
      const o = await call('framed-compact', 'lookup', {key: 'crash'});
      assert.equal(o.status.code, undeclared.code);
      assert.match(o.status.message, new RegExp(`^TApplicationException ${undeclared.type}`));
      assert.equal((o.status.details?.[0] as {type: string}).type, undeclared.type);
    });

    it('oneway calls return at once with no reply, and arrive; void returns nothing', async () => {
      const before = (await call('framed-binary', 'recorded', {})).messages[0] as number;
      for (const key of ['framed-binary', 'buffered-json', 'http-compact']) {
        const o = await call(key, 'record', {event: key});
        assert.deepEqual([o.kind, o.messages, o.status.code], ['oneway', [], 0]);
      }
      let seen = before;
      for (let i = 0; i < 50 && seen < before + 3; i++) {
        await new Promise((r) => setTimeout(r, 20));
        seen = (await call('framed-binary', 'recorded', {})).messages[0] as number;
      }
      assert.equal(seen, before + 3);
      const v = await call('buffered-binary', 'nothing', {});
      assert.deepEqual([v.status.code, v.messages, v.kind], [0, [], 'unary']);
    });

    it('multiplexed services (TMultiplexedProtocol): Service:method, i64 beyond 2^53 both ways', async () => {
      const m = await call('multiplexed', 'Calc:multiply', {a: '3037000499', b: '3037000499'});
      assert.equal(m.status.code, 0, m.status.message);
      assert.deepEqual([m.messages, m.method, m.thrift.messageName, m.thrift.multiplexed], [['9223372030926249001'], 'Calc:multiply', 'Calc:multiply', true]);
      const e = await call('multiplexed', 'Echo:echo', {e: {big: '-9223372036854775808', tags: []}});
      assert.deepEqual(e.messages, [{big: '-9223372036854775808', tags: []}]);
    });

    it(`a function the server does not have: TApplicationException ${unknownMethod.type}`, async () => {
      const o = await call('framed-binary', 'Greeter.NoteCount', {}, {thrift: {schema: join(ROOT, 'proto', 'helloworld', 'helloworld.thrift')}});
      assert.deepEqual([o.status.code, (o.status.details?.[0] as {type: string}).type], [unknownMethod.code, unknownMethod.type]);
      assert.match(o.status.message, /NoteCount/);
    });
  });
}

suite("Python's Thrift server (python3-thrift, code from thrift --gen py)", startPythonServer, {code: 13, type: 'INTERNAL_ERROR'}, {code: 12, type: 'UNKNOWN_METHOD'});
// The npm package (0.24) writes a TApplicationException's `code`, not its `type`, so its servers' exceptions arrive without a type: UNKNOWN.
suite("the npm thrift package's server (code from thrift --gen js:node)", startNpmServer, {code: 2, type: 'UNKNOWN'}, {code: 2, type: 'UNKNOWN'});
