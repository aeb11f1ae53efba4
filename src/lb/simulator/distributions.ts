import {randomExponential, randomLogNormal, randomPareto} from 'd3-random';
import type {RandomSource} from '../types.js';
import type {ServiceDist} from './types.js';

/** A sampler of service times (ms) with the distribution's mean, drawing from `random`. */
export function sampler(d: ServiceDist, random: RandomSource): () => number {
  const source = () => random.next();
  switch (d.kind) {
    case 'const':
      return () => d.meanMs;
    case 'exp':
      return randomExponential.source(source)(1 / d.meanMs);
    case 'lognormal': {
      const sigma = d.sigma ?? 1;
      return randomLogNormal.source(source)(Math.log(d.meanMs) - (sigma * sigma) / 2, sigma);
    }
    case 'pareto': {
      const alpha = d.alpha ?? 2.5;
      const scale = (d.meanMs * (alpha - 1)) / alpha;
      const p = randomPareto.source(source)(alpha);
      return () => p() * scale;
    }
  }
}

/** Zipf-distributed integers in [0, n) with exponent s (inverse CDF by binary search). */
export function zipfSampler(n: number, s: number, random: RandomSource): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / Math.pow(k + 1, s);
  for (let k = 0; k < n; k++) cdf[k] /= sum;
  return () => {
    const u = random.next();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
