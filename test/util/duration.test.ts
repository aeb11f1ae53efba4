import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {formatDuration, parseDuration, parseDurationFlag} from '../../src/util/index.js';

describe('durations', () => {
  it('parses Go-style durations as Consul and etcd write them', () => {
    assert.equal(parseDuration('10s'), 10_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('500us'), 0.5);
    assert.equal(parseDuration('15'), 15_000);
  });
  it('rejects what is not a duration', () => {
    for (const bad of ['', 's', '10x', '1m30', 'ten seconds', '-5s', '1s2']) assert.equal(parseDuration(bad), undefined, bad);
    assert.throws(() => parseDurationFlag('timeout', '3 days'), (e: Error & {exitCode: number}) => e.exitCode === 2 && /--timeout: '3 days'/.test(e.message));
  });
  it('formats like Go', () => {
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(250), '250ms');
    assert.equal(formatDuration(7_200_000), '2h0m0s');
    assert.equal(formatDuration(0.5), '500µs');
  });
});
