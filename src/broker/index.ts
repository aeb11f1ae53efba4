export {Broker, type BrokerOptions, type FetchResult} from './broker.js';
export {LogStore, type PendingAppend} from './log-store.js';
export {GroupCoordinator, type Assignment} from './group-coordinator.js';
export {Partitioner, keyPartition} from './partitioner.js';
export {CLUSTER_EVENT_TYPES, watchRegistrations, bridgeEvents} from './cluster-events.js';
export {NAME_RE, type OutgoingMessage, type PartitionInfo, type Positions, type GroupMemberInfo} from './types.js';
export * from './cli.js';
