import {DialError, usageError} from '../errors/index.js';
import {seededRandom} from './random.js';
import type {Balancer, BalancerOptions, Endpoint, Outcome, PickContext, RandomSource} from './types.js';

/**
 * What every strategy shares: the endpoint list and index, weights,
 * outstanding requests per endpoint (pick adds one, observe removes it),
 * state carried across update() by endpoint id, and `exclude` handling.
 * A strategy implements choose() and, when it keeps per-endpoint state,
 * rebuild() and observed().
 */
export abstract class BaseBalancer<E extends Endpoint = Endpoint> implements Balancer<E> {
  abstract readonly name: string;
  protected eps: E[] = [];
  protected weights = new Float64Array(0);
  protected totalWeight = 0;
  /** Outstanding requests per endpoint (picked, not yet observed). */
  protected inflight = new Float64Array(0);
  protected totalInflight = 0;
  protected readonly random: RandomSource;
  protected readonly now: () => number;
  private index = new Map<string, number>();

  constructor(protected readonly opts: BalancerOptions = {}) {
    this.random = opts.random ?? seededRandom(1);
    this.now = opts.now ?? (() => performance.now());
  }

  get endpoints(): readonly E[] {
    return this.eps;
  }

  /** Outstanding requests of an endpoint (for tests and reports). */
  outstanding(id: string): number {
    const i = this.index.get(id);
    return i === undefined ? 0 : this.inflight[i];
  }

  pick(ctx?: PickContext): E {
    if (this.eps.length === 0) {
      throw new DialError('NO_ENDPOINTS', `the ${this.name} balancer has no endpoints to pick from`, {hint: 'is any instance healthy? see dial discover SERVICE'});
    }
    let i = this.choose(ctx);
    if (ctx?.exclude && ctx.exclude.size > 0 && ctx.exclude.has(this.eps[i].id)) i = this.avoid(ctx, i);
    this.inflight[i]++;
    this.totalInflight++;
    return this.eps[i];
  }

  observe(endpoint: E, outcome: Outcome, latencyMs: number): void {
    const i = this.index.get(endpoint.id);
    if (i === undefined) return; // removed since it was picked
    if (this.inflight[i] > 0) {
      this.inflight[i]--;
      this.totalInflight--;
    }
    this.observed(i, outcome, latencyMs);
  }

  update(endpoints: readonly E[]): void {
    const next = new Map<string, number>();
    endpoints.forEach((e, i) => {
      if (next.has(e.id)) throw usageError(`endpoint id '${e.id}' appears twice`, 'every endpoint needs a unique id');
      if (!(e.weight > 0 && Number.isFinite(e.weight))) throw usageError(`endpoint '${e.id}' has weight ${e.weight}`, 'weights are positive numbers');
      next.set(e.id, i);
    });
    const prev = new Int32Array(endpoints.length).fill(-1);
    const inflight = new Float64Array(endpoints.length);
    endpoints.forEach((e, i) => {
      const old = this.index.get(e.id);
      if (old !== undefined) {
        prev[i] = old;
        inflight[i] = this.inflight[old];
      }
    });
    this.eps = [...endpoints];
    this.index = next;
    this.weights = Float64Array.from(endpoints, (e) => e.weight);
    this.totalWeight = this.weights.reduce((a, b) => a + b, 0);
    this.inflight = inflight;
    this.totalInflight = inflight.reduce((a, b) => a + b, 0);
    this.rebuild(prev);
  }

  /** The index of the endpoint for this request. */
  protected abstract choose(ctx?: PickContext): number;

  /** Two distinct endpoint indexes at random (the same one when there is only one). */
  protected twoAtRandom(): [number, number] {
    const n = this.eps.length;
    if (n === 1) return [0, 0];
    const a = this.random.int(n);
    const b = this.random.int(n - 1);
    return [a, b >= a ? b + 1 : b];
  }

  /** The index with the lowest score; ties broken uniformly at random. */
  protected lowest(score: (i: number) => number): number {
    let best = 0;
    let top = Infinity;
    let ties = 0;
    for (let i = 0; i < this.eps.length; i++) {
      const s = score(i);
      if (s < top) {
        top = s;
        best = i;
        ties = 1;
      } else if (s === top && this.random.int(++ties) === 0) best = i;
    }
    return best;
  }

  /** Called after update(); prev[i] is endpoint i's index before the update, or -1 when it is new. */
  protected rebuild(_prev: Int32Array): void {}

  /** Called when a request to endpoint i ended. */
  protected observed(_i: number, _outcome: Outcome, _latencyMs: number): void {}

  /**
   * The first choice is excluded: ask the strategy again a few times (round
   * robin and the random strategies move on), then take the allowed endpoint
   * that a key-ordered walk finds, or keep the first choice when all are excluded.
   */
  protected avoid(ctx: PickContext, first: number): number {
    const ex = ctx.exclude!;
    const n = this.eps.length;
    for (let t = 0; t < Math.min(n, 8); t++) {
      const i = this.choose(ctx);
      if (!ex.has(this.eps[i].id)) return i;
    }
    const allowed: number[] = [];
    for (let i = 0; i < n; i++) if (!ex.has(this.eps[i].id)) allowed.push(i);
    if (allowed.length === 0) return first;
    return allowed[this.random.int(allowed.length)];
  }
}
