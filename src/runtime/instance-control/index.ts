export {instanceControl} from './extension.js';
export {InstanceControl} from './client.js';
export {NO_FAULTS, hasFaults, describeFaults, type Faults, type InstanceView, type KillRequest} from './types.js';
