import {BaseBalancer} from '../base.js';
import {contextHash} from '../hash.js';
import type {PickContext} from '../types.js';

/**
 * Key (or source-IP) hash modulo N: the classic static affinity. Cheap and
 * even, but a change of N moves almost every key (about N/(N+1) of them).
 */
export class HashMod extends BaseBalancer {
  readonly name = 'hash';

  protected choose(ctx?: PickContext): number {
    return contextHash(ctx) % this.eps.length;
  }
}
