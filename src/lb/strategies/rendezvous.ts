import {BaseBalancer} from '../base.js';
import {contextHash, hashKey, mix32} from '../hash.js';
import type {PickContext} from '../types.js';

const SPACE = 2 ** 32;

/**
 * Rendezvous (highest random weight) hashing, Thaler and Ravishankar 1996:
 * every endpoint scores the key and the highest score wins; weighted with
 * Schindelhauer's -w / ln(u). Removing an endpoint moves only its keys,
 * with no ring or table to build; a pick costs O(N).
 */
export class Rendezvous extends BaseBalancer {
  readonly name = 'rendezvous';
  private ids = new Uint32Array(0);

  protected override rebuild(): void {
    this.ids = Uint32Array.from(this.eps, (e) => hashKey(e.id, 0x2545f491));
  }

  protected choose(ctx?: PickContext): number {
    return this.best(contextHash(ctx), undefined);
  }

  protected override avoid(ctx: PickContext, first: number): number {
    const i = this.best(contextHash(ctx), ctx.exclude);
    return i < 0 ? first : i;
  }

  private best(h: number, exclude: ReadonlySet<string> | undefined): number {
    let best = -1;
    let top = -Infinity;
    for (let i = 0; i < this.ids.length; i++) {
      if (exclude && exclude.has(this.eps[i].id)) continue;
      const u = (mix32(h ^ this.ids[i]) + 0.5) / SPACE;
      const score = -this.weights[i] / Math.log(u);
      if (score > top) {
        top = score;
        best = i;
      }
    }
    return best;
  }
}
