import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {formatDuration, parseDuration, parseDurationFlag, parseGoDuration, toGoDuration} from '../../src/util/index.js';

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
    assert.equal(parseDurationFlag('max-time', '576h'), 576 * 3_600_000, '24 days fit a Node timer');
    assert.throws(() => parseDurationFlag('max-time', '9999999h'), (e: Error & {exitCode: number}) => e.exitCode === 2 && /longer than the longest wait/.test(e.message), 'a longer wait would fire at once');
  });
  it("parseGoDuration is Go's time.ParseDuration: a unit on every number", () => {
    for (const [text, ms] of [['10s', 10_000], ['1m30s', 90_000], ['500ms', 500], ['1.5h', 5_400_000], ['.5s', 500], ['1.s', 1000], ['0', 0], ['100us', 0.1], ['100µs', 0.1], ['2h45m', 9_900_000], ['+1s', 1000]] as const) {
      assert.equal(parseGoDuration(text), ms, text);
    }
    for (const bad of ['15', '1.5', '', ' 10s', '10s ', '10 s', '-1s', '1m30', 's', '.s', '1d', '10S']) assert.equal(parseGoDuration(bad), undefined, bad);
  });
  it('toGoDuration gives a bare CLI number its unit (seconds)', () => {
    assert.deepEqual(['15', '1.5', '0', '10s', '1m30s'].map(toGoDuration), ['15s', '1.5s', '0', '10s', '1m30s']);
  });
  it('formats like Go', () => {
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(250), '250ms');
    assert.equal(formatDuration(7_200_000), '2h0m0s');
    assert.equal(formatDuration(0.5), '500µs');
  });
});
