import {BaseBalancer} from '../base.js';

/** Random choice in proportion to weight, in O(1) per pick with Vose's alias method. */
export class WeightedRandom extends BaseBalancer {
  readonly name = 'weighted-random';
  private prob = new Float64Array(0);
  private alias = new Int32Array(0);

  protected override rebuild(): void {
    const n = this.eps.length;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = Array.from(this.weights, (w) => (w * n) / this.totalWeight);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) {
      this.prob[i] = 1;
      this.alias[i] = i;
    }
  }

  protected choose(): number {
    const i = this.random.int(this.eps.length);
    return this.random.next() < this.prob[i] ? i : this.alias[i];
  }
}
