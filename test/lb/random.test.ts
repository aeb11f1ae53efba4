import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {seededRandom} from '../../src/lb/random.js';

describe('seededRandom', () => {
  it('is deterministic per seed, and small seeds do not all start near 1', () => {
    assert.deepEqual([1, 2, 3].map(() => seededRandom(7).next()), [1, 2, 3].map(() => seededRandom(7).next()));
    const deciles = new Set<number>();
    for (let seed = 1; seed <= 100; seed++) deciles.add(Math.floor(seededRandom(seed).next() * 10));
    assert.equal(deciles.size, 10, `first draws of seeds 1..100 fall in deciles ${[...deciles].sort().join(',')}`);
  });
});
