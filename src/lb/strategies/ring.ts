import {BaseBalancer} from '../base.js';
import {contextHash, hashKey} from '../hash.js';
import type {PickContext} from '../types.js';

const SPACE = 2 ** 32;

/**
 * Consistent hashing on a ring with virtual nodes (ketama style): each
 * endpoint owns `vnodes * weight / mean weight` points; a key goes to the
 * owner of the first point at or after its hash. Removing an endpoint moves
 * only its keys; the spread of ownership shrinks about as 1/sqrt(vnodes).
 */
export class Ring extends BaseBalancer {
  readonly name: string = 'ring';
  protected points = new Uint32Array(0);
  protected owners = new Int32Array(0);

  get vnodes(): number {
    return this.opts.vnodes ?? 160;
  }

  protected override rebuild(): void {
    const mean = this.totalWeight / Math.max(1, this.eps.length);
    const all: {h: number; o: number}[] = [];
    this.eps.forEach((e, o) => {
      const count = Math.max(1, Math.round((this.vnodes * this.weights[o]) / mean));
      for (let j = 0; j < count; j++) all.push({h: hashKey(`${e.id}#${j}`), o});
    });
    all.sort((a, b) => a.h - b.h || a.o - b.o);
    this.points = Uint32Array.from(all, (p) => p.h);
    this.owners = Int32Array.from(all, (p) => p.o);
  }

  /** Index of the first point at or after hash h (wrapping to 0). */
  protected locate(h: number): number {
    const pts = this.points;
    let lo = 0;
    let hi = pts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pts[mid] < h) lo = mid + 1;
      else hi = mid;
    }
    return lo === pts.length ? 0 : lo;
  }

  protected choose(ctx?: PickContext): number {
    return this.owners[this.locate(contextHash(ctx))];
  }

  /** Walks on along the ring to the first allowed owner. */
  protected override avoid(ctx: PickContext, first: number): number {
    const start = this.locate(contextHash(ctx));
    for (let k = 0; k < this.points.length; k++) {
      const o = this.owners[(start + k) % this.points.length];
      if (!ctx.exclude!.has(this.eps[o].id)) return o;
    }
    return first;
  }

  /** Fraction of the hash space each endpoint owns (exact arc lengths), in endpoint order. */
  arcShares(): number[] {
    const shares = new Array<number>(this.eps.length).fill(0);
    const pts = this.points;
    for (let p = 0; p < pts.length; p++) {
      const arc = p === 0 ? pts[0] + (SPACE - pts[pts.length - 1]) : pts[p] - pts[p - 1];
      shares[this.owners[p]] += arc / SPACE;
    }
    return shares;
  }
}
