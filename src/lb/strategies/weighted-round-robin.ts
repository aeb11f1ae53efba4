import {BaseBalancer} from '../base.js';

/**
 * Smooth weighted round robin, nginx's algorithm: every pick adds each
 * endpoint's weight to its current weight, takes the largest (first on a tie)
 * and subtracts the total from it. Weights 5,1,1 give a a b a c a a: each
 * period of sum(w) picks has exactly w_i picks of endpoint i, interleaved.
 */
export class WeightedRoundRobin extends BaseBalancer {
  readonly name = 'weighted-round-robin';
  private current = new Float64Array(0);

  protected override rebuild(prev: Int32Array): void {
    const old = this.current;
    this.current = new Float64Array(this.eps.length);
    prev.forEach((p, i) => {
      if (p >= 0) this.current[i] = old[p];
    });
  }

  protected choose(): number {
    const cur = this.current;
    const w = this.weights;
    let best = 0;
    for (let i = 0; i < cur.length; i++) {
      cur[i] += w[i];
      if (cur[i] > cur[best]) best = i;
    }
    cur[best] -= this.totalWeight;
    return best;
  }
}
