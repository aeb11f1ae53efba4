import {contextHash} from '../hash.js';
import type {PickContext} from '../types.js';
import {Ring} from './ring.js';

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam
 * 2018; Vimeo and HAProxy use it): the ring as above, but an endpoint whose
 * outstanding requests reach ceil(c * m * w_i / W), with m the total
 * including the new one, is passed over for the next point on the ring. No
 * endpoint ever exceeds that bound (a retry's exclude list comes first), and
 * keys stay put while loads allow.
 */
export class BoundedLoad extends Ring {
  override readonly name = 'bounded-load';

  get loadFactor(): number {
    return this.opts.loadFactor ?? 1.25;
  }

  /** The most outstanding requests endpoint i may hold when `m` are outstanding in all. */
  capacity(i: number, m: number): number {
    return Math.ceil((this.loadFactor * m * this.weights[i]) / this.totalWeight);
  }

  protected override choose(ctx?: PickContext): number {
    return this.walk(contextHash(ctx), ctx?.exclude);
  }

  protected override avoid(ctx: PickContext): number {
    return this.walk(contextHash(ctx), ctx.exclude);
  }

  /** First owner on from h under its bound and allowed; else the first allowed one (a retry must move on); else h's owner. */
  private walk(h: number, exclude?: ReadonlySet<string>): number {
    const m = this.totalInflight + 1;
    const n = this.points.length;
    const start = this.locate(h);
    let allowed = -1;
    for (let k = 0; k < n; k++) {
      const o = this.owners[(start + k) % n];
      if (exclude && exclude.size > 0 && exclude.has(this.eps[o].id)) continue;
      if (allowed < 0) allowed = o;
      if (this.inflight[o] < this.capacity(o, m)) return o;
    }
    return allowed >= 0 ? allowed : this.owners[start];
  }
}
