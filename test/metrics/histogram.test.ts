import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {bucketDelta, histogramQuantile, type Buckets} from '../../src/metrics/histogram.js';
import {isErrorCode, statsBetween, type Snapshot} from '../../src/metrics/stats.js';

const b = (pairs: [number, number][]): Buckets => new Map(pairs);

describe('histogram quantiles (histogram_quantile semantics)', () => {
  it('interpolates linearly inside the bucket where the rank falls', () => {
    // 100 observations: 50 <= 0.1, 90 <= 0.2, 100 <= 0.4
    const h = b([[0.1, 50], [0.2, 90], [0.4, 100], [Infinity, 100]]);
    assert.equal(histogramQuantile(0.5, h), 0.1);
    assert.ok(Math.abs(histogramQuantile(0.7, h)! - 0.15) < 1e-9);
    assert.ok(Math.abs(histogramQuantile(0.95, h)! - 0.3) < 1e-9);
  });
  it('returns the highest finite bound when the rank falls in +Inf, undefined when empty', () => {
    assert.equal(histogramQuantile(0.99, b([[0.1, 1], [1, 1], [Infinity, 10]])), 1);
    assert.equal(histogramQuantile(0.5, b([[0.1, 0], [Infinity, 0]])), undefined);
  });
  it('bucket deltas subtract the earlier scrape, and a counter reset counts from zero', () => {
    const d = bucketDelta(b([[0.1, 15], [Infinity, 20]]), b([[0.1, 10], [Infinity, 12]]));
    assert.deepEqual([...d], [[0.1, 5], [Infinity, 8]]);
    const reset = bucketDelta(b([[0.1, 2], [Infinity, 3]]), b([[0.1, 10], [Infinity, 12]]));
    assert.deepEqual([...reset], [[0.1, 2], [Infinity, 3]]);
  });
});

describe('rates between scrapes', () => {
  const snap = (at: number, requests: number, errors: number, buckets: [number, number][]): Snapshot =>
    ({at, up: true, requests, errors, inFlight: 2, buckets: b(buckets)});
  it('computes rps, error rate and p50/p99 from deltas', () => {
    const s = statsBetween(snap(1000, 100, 0, [[0.01, 100], [0.1, 100], [Infinity, 100]]), snap(3000, 300, 20, [[0.01, 200], [0.1, 290], [Infinity, 300]]));
    assert.equal(s.rps, 100);
    assert.equal(s.errorRate, 0.1);
    assert.equal(s.requests, 200);
    assert.ok(s.p50Ms! > 0 && s.p50Ms! <= 10, `p50 ${s.p50Ms}`);
    assert.equal(s.p99Ms, 100);
    assert.equal(s.inFlight, 2);
  });
  it('has no rates before a second scrape', () => {
    assert.equal(statsBetween(undefined, snap(1000, 5, 0, [])).rps, undefined);
  });
  it('counts server failures as errors: gRPC UNAVAILABLE/INTERNAL/..., HTTP 5xx; not OK, CANCELLED or 4xx', () => {
    for (const c of ['UNAVAILABLE', 'INTERNAL', 'UNKNOWN', 'DEADLINE_EXCEEDED', '500', '503']) assert.equal(isErrorCode(c), true, c);
    for (const c of ['OK', 'CANCELLED', 'NOT_FOUND', 'INVALID_ARGUMENT', '200', '404']) assert.equal(isErrorCode(c), false, c);
  });
});
