import {uniformFloat64} from 'pure-rand/distribution/uniformFloat64';
import {xoroshiro128plus} from 'pure-rand/generator/xoroshiro128plus';
import type {RandomSource} from './types.js';

/**
 * A seeded random source (xoroshiro128+ from pure-rand): the same seed gives
 * the same sequence. The seed is mixed first: xoroshiro128+ seeded with a
 * small integer directly draws ~0.99999 first.
 */
export function seededRandom(seed: number): RandomSource {
  const g = xoroshiro128plus(deriveSeed(seed, -1));
  const next = () => uniformFloat64(g);
  return {next, int: (n) => Math.floor(next() * n)};
}

/** Derives an independent seed for a sub-stream (e.g. per backend) from a base seed. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
