import {BaseBalancer} from '../base.js';

/**
 * Least connections (join the shortest queue), weighted: the endpoint with
 * the fewest outstanding requests per unit of weight; ties broken at random.
 */
export class LeastConnections extends BaseBalancer {
  readonly name = 'least-connections';

  protected choose(): number {
    return this.lowest((i) => this.inflight[i] / this.weights[i]);
  }
}
