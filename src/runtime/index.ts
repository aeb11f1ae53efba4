// Daemon-side pieces (DAEMON_EXTENSIONS) and the daemon API client are imported from their own
// modules: re-exporting them here would pull undici and every extension into each command's bundle.
export {clusterUp, clusterDown, clusterForeground, clusterStatus, type ClusterUpOptions, type ClusterUpResult, type ClusterStatus, type ClusterDownResult} from './lifecycle.js';
export {Supervisor, type InstanceSpec, type InstanceInfo, type InstanceState} from './supervisor.js';
export {INSTANCE_KINDS, defaultInstanceSpecs, type InstanceKind} from './instance-kinds.js';
export {isAlive, readPid, acquirePidFile, releasePidFile, waitForExit} from './pidfile.js';
export {packageRoot, distEntry} from './entry-points.js';
export {readLogs, followLogs, logFileFor} from './logs.js';
export type {DaemonExtension, DaemonContext} from './daemon/extensions.js';
export type {DaemonConfig} from './daemon/config.js';
export type {DaemonClientOptions} from './daemon-client.js';
