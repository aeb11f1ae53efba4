/** Metric names every dial server (the daemon and each demo instance) exposes, so one scraper reads them all. */
export const METRIC = {
  requests: 'dial_requests_total',
  duration: 'dial_request_duration_seconds',
  inFlight: 'dial_requests_in_flight',
  healthProbes: 'dial_health_probes_total',
} as const;

/** Latency buckets (seconds): 0.5 ms to 10 s, dense where RPCs on one machine land. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
