import {bucketDelta, histogramQuantile, mergedBuckets, type Buckets} from './histogram.js';
import {METRIC} from './names.js';
import type {ScrapeResult} from './scrape.js';

/** gRPC codes that mean the server failed (as grpc-ecosystem's server metrics count them); HTTP: 5xx. */
const SERVER_ERROR_CODES = new Set(['UNKNOWN', 'DEADLINE_EXCEEDED', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'aborted']);

/** True when a request's code counts toward the error rate. */
export function isErrorCode(code: string): boolean {
  return /^\d{3}$/.test(code) ? Number(code) >= 500 : SERVER_ERROR_CODES.has(code);
}

/** The cumulative request counters of one scrape, summed over methods. */
export interface Snapshot {
  at: number;
  up: boolean;
  requests: number;
  errors: number;
  inFlight: number;
  buckets: Buckets;
}

export function snapshot(r: ScrapeResult): Snapshot {
  let requests = 0;
  let errors = 0;
  for (const s of r.families.find((f) => f.name === METRIC.requests)?.samples ?? []) {
    requests += s.value;
    if (isErrorCode(s.labels.code ?? '')) errors += s.value;
  }
  const inFlight = r.families.find((f) => f.name === METRIC.inFlight)?.samples[0]?.value ?? 0;
  return {at: r.at, up: !r.error, requests, errors, inFlight, buckets: mergedBuckets(r.families, METRIC.duration)};
}

/** Rates of one target between two scrapes (undefined rates before a second scrape). */
export interface TargetStats {
  rps?: number;
  errorRate?: number;
  p50Ms?: number;
  p99Ms?: number;
  inFlight: number;
  /** Requests in the window. */
  requests?: number;
  errors?: number;
}

export function statsBetween(prev: Snapshot | undefined, cur: Snapshot): TargetStats {
  if (!prev || !prev.up || !cur.up || cur.at <= prev.at) return {inFlight: cur.inFlight};
  const seconds = (cur.at - prev.at) / 1000;
  const reset = cur.requests < prev.requests;
  const requests = reset ? cur.requests : cur.requests - prev.requests;
  const errors = reset ? cur.errors : Math.max(0, cur.errors - prev.errors);
  const window = bucketDelta(cur.buckets, reset ? undefined : prev.buckets);
  const q = (x: number) => {
    const v = histogramQuantile(x, window);
    return v === undefined ? undefined : v * 1000;
  };
  return {rps: requests / seconds, errorRate: requests > 0 ? errors / requests : 0, p50Ms: q(0.5), p99Ms: q(0.99), inFlight: cur.inFlight, requests, errors};
}
