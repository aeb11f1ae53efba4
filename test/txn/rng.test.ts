import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {parseDelay, route, NO_FAULTS} from '../../src/txn/faults.js';
import {streamRandom} from '../../src/txn/rng.js';

describe('txn per-process randomness', () => {
  it('the first draw of each process spreads over [0, 1) across seeds (no process starts at the maximum)', () => {
    const firsts: number[] = [];
    for (let seed = 1; seed <= 100; seed++) for (let proc = 0; proc <= 3; proc++) firsts.push(streamRandom(seed, proc)());
    const deciles = Array.from({length: 10}, () => 0);
    for (const f of firsts) deciles[Math.floor(f * 10)]++;
    for (const [i, n] of deciles.entries()) assert.ok(n >= 20 && n <= 60, `decile ${i} holds ${n} of 400 first draws: ${deciles.join(' ')}`);
  });
  it('so a --delay MSG:MIN-MAX range is spread from the first message on', () => {
    const delay = parseDelay('VOTE:100-400', ['c', 'p1', 'p2', 'p3']);
    const first = Array.from({length: 50}, (_, seed) => {
      const fate = route({...NO_FAULTS, delay: [delay]}, {partitioned: false, dropped: []}, 'p1', 'c', {type: 'VOTE', txn: 'T1', vote: 'yes'}, streamRandom(seed + 1, 1));
      return fate.deliver ? fate.delayMs : NaN;
    });
    assert.ok(first.every((ms) => ms >= 100 && ms <= 400), first.join(' '));
    assert.ok(first.filter((ms) => ms < 250).length >= 10, `first delays: ${first.join(' ')}`);
  });
  it('the same seed and process give the same sequence; different processes differ', () => {
    const a = streamRandom(7, 2);
    const b = streamRandom(7, 2);
    assert.deepEqual([a(), a(), a()], [b(), b(), b()]);
    assert.notEqual(streamRandom(7, 1)(), streamRandom(7, 2)());
  });
});
