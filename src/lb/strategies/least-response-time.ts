import {BaseBalancer} from '../base.js';
import type {Outcome} from '../types.js';

/**
 * Least response time (NGINX Plus least_time): the endpoint with the lowest
 * average response time times (outstanding + 1), per unit of weight, over
 * all endpoints. The average is an EWMA over samples (alpha, default 0.2);
 * an endpoint without samples counts at the mean of the others.
 */
export class LeastResponseTime extends BaseBalancer {
  readonly name = 'least-response-time';
  private avg = new Float64Array(0);

  get alpha(): number {
    return this.opts.alpha ?? 0.2;
  }

  protected override rebuild(prev: Int32Array): void {
    const old = this.avg;
    this.avg = new Float64Array(this.eps.length).fill(NaN);
    prev.forEach((p, i) => {
      if (p >= 0) this.avg[i] = old[p];
    });
  }

  protected choose(): number {
    let known = 0;
    let sum = 0;
    for (const a of this.avg) {
      if (!Number.isNaN(a)) {
        known++;
        sum += a;
      }
    }
    const unknown = known ? sum / known : 1;
    return this.lowest((i) => ((Number.isNaN(this.avg[i]) ? unknown : this.avg[i]) * (this.inflight[i] + 1)) / this.weights[i]);
  }

  protected override observed(i: number, _outcome: Outcome, latencyMs: number): void {
    const a = this.avg[i];
    this.avg[i] = Number.isNaN(a) ? latencyMs : a + this.alpha * (latencyMs - a);
  }
}
