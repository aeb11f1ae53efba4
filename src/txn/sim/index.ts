export {SimWorld, MemoryLog, SIM_LATENCY_MS} from './world.js';
export {runSim, trialOptions, replayCommand, describeTransfer, type SimRunOptions, type SimRunResult} from './trial.js';
