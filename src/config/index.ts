export {dialHome, ensureDialHome, homePaths, type HomePaths} from './home.js';
export {ENV, type EnvName} from './env.js';
export {readClusterFile, writeClusterFile, removeClusterFile, clusterToken, clusterClientTls, type ClusterInfo} from './cluster-file.js';
