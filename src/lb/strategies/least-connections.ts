import {BaseBalancer} from '../base.js';

/**
 * Least connections (join the shortest queue), weighted: the endpoint with
 * the fewest outstanding requests per unit of weight; ties broken at random.
 */
export class LeastConnections extends BaseBalancer {
  readonly name = 'least-connections';

  protected choose(): number {
    let best = 0;
    let top = Infinity;
    let ties = 0;
    for (let i = 0; i < this.inflight.length; i++) {
      const s = this.inflight[i] / this.weights[i];
      if (s < top) {
        top = s;
        best = i;
        ties = 1;
      } else if (s === top && this.random.int(++ties) === 0) best = i;
    }
    return best;
  }
}
