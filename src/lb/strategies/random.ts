import {BaseBalancer} from '../base.js';

/** Uniform random choice. */
export class RandomPick extends BaseBalancer {
  readonly name = 'random';

  protected choose(): number {
    return this.random.int(this.eps.length);
  }
}
