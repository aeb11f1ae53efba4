import {BaseBalancer} from '../base.js';

/**
 * Power of two choices, least request (Mitzenmacher 2001; Envoy's
 * LEAST_REQUEST): sample two distinct endpoints at random and take the one
 * with fewer outstanding requests per unit of weight. It never picks the
 * endpoint with the strict maximum, and its maximum load grows as
 * log log N instead of log N / log log N for random.
 */
export class PowerOfTwo extends BaseBalancer {
  readonly name = 'p2c';

  protected choose(): number {
    const [a, b] = this.twoAtRandom();
    return this.inflight[b] / this.weights[b] < this.inflight[a] / this.weights[a] ? b : a;
  }
}
