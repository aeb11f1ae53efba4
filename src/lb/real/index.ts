export {runLoad, balancedCall} from './load.js';
export {discoverEndpoints, directEndpoints, instanceWeight, isDirect, type InstanceEndpoint} from './endpoints.js';
export {prepareMethod, UnaryClient, Deadlines, type PreparedMethod, type CallResult} from './grpc-client.js';
export type {LoadOptions, LoadReport, LoadProgress, InstanceStats} from './types.js';
export {compareReal, type CompareOptions, type CompareReport, type CompareRow, type InstanceFaults} from './compare.js';
export {GhzCollector, goCodeName, goErrorText, linearHistogram, percentiles, MAX_DETAILS, type GhzReport, type GhzDetail, type RequestResult} from './ghz.js';
