export type {Balancer, BalancerOptions, Endpoint, Outcome, PickContext, RandomSource} from './types.js';
export {BaseBalancer} from './base.js';
export {seededRandom, deriveSeed} from './random.js';
export {hashKey, mix32, contextHash} from './hash.js';
export {STRATEGIES, findStrategy, parseStrategy, parseStrategies, createBalancer, type StrategyInfo, type StrategySpec} from './catalog.js';
export * from './strategies/index.js';
export {analyzeKeys, type KeysInput, type KeysReport, type KeyDistribution, type KeyShare} from './keys.js';
