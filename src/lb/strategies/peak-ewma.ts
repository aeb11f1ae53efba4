import {BaseBalancer} from '../base.js';
import type {Outcome} from '../types.js';

/** Cost of an endpoint that has requests outstanding but no latency sample yet (Finagle's penalty). */
const PENALTY = 1e12;

/**
 * Peak-EWMA (Finagle, Linkerd): a latency estimate per endpoint that jumps
 * to any sample above it at once and otherwise decays toward new samples
 * with time constant `decayMs` (w = exp(-dt / decay)); cost = estimate *
 * (outstanding + 1) / weight, chosen between two random endpoints (P2C).
 * Reading a cost decays it toward zero as Finagle does, so an idle endpoint
 * is tried again.
 */
export class PeakEwma extends BaseBalancer {
  readonly name = 'peak-ewma';
  private cost = new Float64Array(0);
  private stamp = new Float64Array(0);

  get decayMs(): number {
    return this.opts.decayMs ?? 10_000;
  }

  /** The current latency estimate of an endpoint in ms (as last updated). */
  estimate(id: string): number {
    const i = this.eps.findIndex((e) => e.id === id);
    return i < 0 ? NaN : this.cost[i];
  }

  protected override rebuild(prev: Int32Array): void {
    const [cost, stamp] = [this.cost, this.stamp];
    this.cost = new Float64Array(this.eps.length);
    this.stamp = new Float64Array(this.eps.length).fill(this.now());
    prev.forEach((p, i) => {
      if (p >= 0) [this.cost[i], this.stamp[i]] = [cost[p], stamp[p]];
    });
  }

  private sample(i: number, rtt: number): void {
    const t = this.now();
    const w = Math.exp(-Math.max(t - this.stamp[i], 0) / this.decayMs);
    this.cost[i] = rtt > this.cost[i] ? rtt : this.cost[i] * w + rtt * (1 - w);
    this.stamp[i] = t;
  }

  private score(i: number): number {
    this.sample(i, 0);
    const c = this.cost[i];
    if (c === 0 && this.inflight[i] > 0) return PENALTY + this.inflight[i];
    return (c * (this.inflight[i] + 1)) / this.weights[i];
  }

  protected choose(): number {
    const [a, b] = this.twoAtRandom();
    return a === b || this.score(b) >= this.score(a) ? a : b;
  }

  protected override observed(i: number, _outcome: Outcome, latencyMs: number): void {
    this.sample(i, latencyMs);
  }
}
