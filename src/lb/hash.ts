import murmurhash from 'murmurhash';
import type {PickContext} from './types.js';

/** The 32-bit MurmurHash3 of a key (UTF-8), the hash every key-based strategy uses. */
export function hashKey(key: string, seed = 0): number {
  return murmurhash.v3(key, seed) >>> 0;
}

/** MurmurHash3's 32-bit finalizer: a fast bijective mix with full avalanche. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hash of the request key: the precomputed one, else hashKey(key) ('' when there is no key). */
export function contextHash(ctx: PickContext | undefined): number {
  if (ctx?.hash !== undefined) return ctx.hash >>> 0;
  return hashKey(ctx?.key ?? '');
}
