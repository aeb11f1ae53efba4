import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {childTraceparent, newTrace, outgoingTraceparent, parseTraceparent, traceFromHeaders, withTrace} from '../../src/metrics/trace.js';

describe('W3C traceparent', () => {
  it('parses the spec example and rejects invalid headers', () => {
    const t = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    assert.deepEqual(t, {traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true});
    for (const bad of [undefined, '', 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01']) {
      assert.equal(parseTraceparent(bad), undefined, String(bad));
    }
  });
  it('child headers keep the trace id and get a fresh span id', () => {
    const t = newTrace();
    const a = parseTraceparent(childTraceparent(t))!;
    const b = parseTraceparent(childTraceparent(t))!;
    assert.equal(a.traceId, t.traceId);
    assert.equal(b.traceId, t.traceId);
    assert.notEqual(a.spanId, b.spanId);
  });
  it('requests made inside withTrace carry the trace, across awaits; outside none', async () => {
    assert.equal(outgoingTraceparent(), undefined);
    const t = newTrace();
    const seen = await withTrace(t, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return outgoingTraceparent();
    });
    assert.equal(parseTraceparent(seen)?.traceId, t.traceId);
  });
  it('-H traceparent: a valid one is continued (not forwarded), an invalid one replaced by a new trace', () => {
    const given = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const ok = traceFromHeaders([['x-a', '1'], ['traceparent', given]]);
    assert.equal(ok.trace.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.deepEqual(ok.headers, [['x-a', '1']]);
    assert.equal(ok.invalid, undefined);
    const child = parseTraceparent(withTrace(ok.trace, () => outgoingTraceparent()))!;
    assert.equal(child.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.notEqual(child.spanId, '00f067aa0ba902b7', 'a fresh span, child of the given one');
    const bad = traceFromHeaders([['traceparent', 'garbage']]);
    assert.deepEqual([bad.headers, bad.invalid], [[], 'garbage']);
    assert.match(bad.trace.traceId, /^[0-9a-f]{32}$/);
    const none = traceFromHeaders([['x-a', '1']]);
    assert.deepEqual([none.headers, none.invalid], [[['x-a', '1']], undefined]);
  });
});

