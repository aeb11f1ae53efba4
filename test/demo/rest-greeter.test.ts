import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {callAt} from '../rpc/protocols/helpers.js';
import {runDemo, setFault} from './run-demo.js';

for (const [kind, codec] of [['greeter-rest', 'json'], ['greeter-msgpack', 'msgpack']] as const) {
  describe(`demo ${kind}`, () => {
    let demo: Awaited<ReturnType<typeof runDemo>>;
    before(async () => {
      demo = await runDemo(kind, 'demo/greeter/rest-main.js');
    });
    after(() => demo.stop());

    it('registers as greeter with protocol rest, its codec, and an HTTP health check', () => {
      const reg = demo.registrations[0] as {Name: string; Meta: Record<string, string>; Checks: {HTTP?: string}[]};
      assert.equal(reg.Name, 'greeter');
      assert.deepEqual([reg.Meta.protocol, reg.Meta.codec], ['rest', codec]);
      assert.equal(reg.Checks[0].HTTP, `http://${demo.hostPort}/health`);
    });

    it('greets by path, query and POST body', async () => {
      const byPath = await callAt('rest', demo.hostPort, 'GET', {http: {path: '/hello/ada', codec}});
      assert.deepEqual(byPath.messages, [{message: 'Hello, ada!', instance: `${kind}-1`}]);
      const byQuery = await callAt('rest', demo.hostPort, 'GET', {http: {path: '/hello', query: [['name', 'bob']], codec}});
      assert.equal((byQuery.messages[0] as {message: string}).message, 'Hello, bob!');
      const byBody = await callAt('rest', demo.hostPort, 'POST', {data: [{name: 'cy'}], http: {path: '/hello', codec}});
      assert.equal((byBody.messages[0] as {message: string}).message, 'Hello, cy!');
      assert.equal(byBody.responseHeaders['content-type'], codec === 'json' ? 'application/json' : 'application/msgpack');
    });

    it('answers 404, 405 and 400/415 for bad requests', async () => {
      assert.equal((await callAt('rest', demo.hostPort, 'GET', {http: {path: '/nope', codec}})).http.status, 404);
      assert.equal((await callAt('rest', demo.hostPort, 'DELETE', {http: {path: '/hello', codec}})).status.name, 'FAILED_PRECONDITION');
      const wrong = await callAt('rest', demo.hostPort, 'POST', {data: [{name: 'x'}], http: {path: '/hello', codec: codec === 'json' ? 'msgpack' : 'json'}});
      assert.equal(wrong.http.status, 415);
      const bad = await callAt('rest', demo.hostPort, 'POST', {data: [{name: 5}], http: {path: '/hello', codec}});
      assert.deepEqual([bad.http.status, bad.status.name], [400, 'INVALID_ARGUMENT']);
    });

    it('fault injection: error rate 1 answers 503 UNAVAILABLE, latency delays, heal clears', async () => {
      await setFault(demo, {errorRate: 1});
      const failed = await callAt('rest', demo.hostPort, 'GET', {http: {path: '/hello/ada', codec}});
      assert.deepEqual([failed.http.status, failed.status.name], [503, 'UNAVAILABLE']);
      await setFault(demo, {errorRate: 0, latencyMs: 150});
      const slow = await callAt('rest', demo.hostPort, 'GET', {http: {path: '/hello/ada', codec}});
      assert.ok(slow.timing.totalMs >= 140, `took ${slow.timing.totalMs}ms`);
      demo.send({type: 'heal'});
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await callAt('rest', demo.hostPort, 'GET', {http: {path: '/hello/ada', codec}})).status.code, 0);
    });
  });
}
