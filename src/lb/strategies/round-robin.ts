import {BaseBalancer} from '../base.js';

/** Round robin: each endpoint in turn, from a random start (so many clients do not all begin at the first). */
export class RoundRobin extends BaseBalancer {
  readonly name = 'round-robin';
  private next = -1;

  protected choose(): number {
    if (this.next < 0) this.next = this.random.int(this.eps.length);
    const i = this.next % this.eps.length;
    this.next = i + 1;
    return i;
  }
}
