import {usageError} from '../../errors/index.js';
import {BaseBalancer} from '../base.js';
import {contextHash, hashKey, mix32} from '../hash.js';
import type {PickContext} from '../types.js';

function isPrime(n: number): boolean {
  if (n < 2 || n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/**
 * Maglev hashing (Eisenbud et al., NSDI 2016): each endpoint has a
 * permutation of a prime-sized table (offset, skip from two hashes of its
 * id); endpoints take turns claiming their next free preferred slot, so slot
 * counts differ by at most one and a lookup is one array read. Weights give
 * turns in proportion. Removing one of N endpoints moves a little more than
 * 1/N of the keys.
 */
export class Maglev extends BaseBalancer {
  readonly name = 'maglev';
  private table = new Int32Array(0);

  get tableSize(): number {
    return this.opts.tableSize ?? 65537;
  }

  protected override rebuild(): void {
    const M = this.tableSize;
    const n = this.eps.length;
    if (!isPrime(M)) throw usageError(`maglev table size ${M} is not a prime`, 'use a prime such as 65537 (the default), 5003 or 655373');
    if (n > M) throw usageError(`maglev table size ${M} is smaller than the ${n} endpoints`, 'use a prime table at least 100 times the number of endpoints');
    const table = new Int32Array(M).fill(-1);
    if (n === 0) {
      this.table = table;
      return;
    }
    const pos = new Float64Array(n);
    const skip = new Float64Array(n);
    const credit = new Float64Array(n);
    const maxW = Math.max(...this.weights);
    this.eps.forEach((e, i) => {
      pos[i] = hashKey(e.id, 0x5bd1e995) % M;
      skip[i] = (hashKey(e.id, 0x1b873593) % (M - 1)) + 1;
    });
    let filled = 0;
    while (filled < M) {
      for (let i = 0; i < n && filled < M; i++) {
        credit[i] += this.weights[i] / maxW;
        while (credit[i] >= 1 && filled < M) {
          credit[i] -= 1;
          let c = pos[i];
          while (table[c] >= 0) c = (c + skip[i]) % M;
          table[c] = i;
          pos[i] = (c + skip[i]) % M;
          filled++;
        }
      }
    }
    this.table = table;
  }

  protected choose(ctx?: PickContext): number {
    return this.table[contextHash(ctx) % this.table.length];
  }

  /** Re-hashes the key with attempt numbers until an allowed endpoint comes up. */
  protected override avoid(ctx: PickContext, first: number): number {
    const h = contextHash(ctx);
    for (let t = 1; t <= 4 * this.eps.length; t++) {
      const i = this.table[mix32(h ^ Math.imul(t, 0x9e3779b1)) % this.table.length];
      if (!ctx.exclude!.has(this.eps[i].id)) return i;
    }
    return super.avoid(ctx, first);
  }

  /** Table slots per endpoint, in endpoint order. */
  slotCounts(): number[] {
    const counts = new Array<number>(this.eps.length).fill(0);
    for (const o of this.table) counts[o]++;
    return counts;
  }

  /** The endpoint index of every slot (for measuring disruption). */
  slots(): Int32Array {
    return this.table;
  }
}
