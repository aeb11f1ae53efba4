export * from './types.js';
export {simulateStrategy, capacity, arrivalRate} from './engine.js';
export {parseBackends, defaultBackend} from './backends.js';
export {SCENARIOS, findScenario, type Scenario} from './scenarios.js';
export {buildSimConfig, runSimulation, rank, type SimulateInput, type SimulationReport, type BackendSummary} from './run.js';
export {quantile, summarize, spread, logHistogram} from './stats.js';
export {sampler, zipfSampler} from './distributions.js';
