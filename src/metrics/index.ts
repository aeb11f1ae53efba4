export {METRIC} from './names.js';
export {parseExposition, sampleKey, type MetricFamily, type Sample} from './exposition.js';
export {histogramQuantile, mergedBuckets, bucketDelta, type Buckets} from './histogram.js';
export {Scraper, type ScrapeTarget, type ScrapeResult, type ScraperOptions} from './scrape.js';
export {isErrorCode, snapshot, statsBetween, type Snapshot, type TargetStats} from './stats.js';
export {metricsReport, matchRegex, summarizeHistogram, filterResult, type MetricsReport, type TargetMetrics, type HistogramSummary} from './report.js';
export {openScraper} from './open.js';
export {parseTraceparent, newTrace, childTraceparent, withTrace, currentTrace, outgoingTraceparent, type TraceContext} from './trace.js';
