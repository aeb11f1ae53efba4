import {uniformFloat64} from 'pure-rand/distribution/uniformFloat64';
import {xoroshiro128plus} from 'pure-rand/generator/xoroshiro128plus';

/**
 * A seeded source of floats in [0, 1) for one stream of a run (a process, or
 * the simulated network). The seed and the stream are mixed (murmur3's
 * finalizer) before seeding xoroshiro128+: seeded with a small integer
 * directly, its first draw is always ~0.99999, so every process's first
 * `--delay MSG:MIN-MAX` was the maximum.
 */
export function streamRandom(seed: number, stream: number): () => number {
  const rng = xoroshiro128plus(mixSeed(seed, stream));
  return () => uniformFloat64(rng);
}

export function mixSeed(seed: number, stream: number): number {
  let h = Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
