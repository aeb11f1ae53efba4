export {parseDbUrl, isDbUrl, type DbTarget, type DbKind} from './url.js';
export {formatGid, parseGid, newTxnId, coordinatorId, type Gid} from './gid.js';
export {runDbTransaction, parseParticipants, splitSql, type DbRunRequest, type DbRunResult, type DbBranchOutcome} from './run.js';
export {setupDatabases, dbBalances, type SetupResult, type DbBalances} from './setup.js';
export {dbStatus, recoverDatabases, loggedDecisions, type DbStatus, type DbRecoverResult, type InDoubtView, type RecoverAction} from './recover.js';
export {openResource} from './open.js';
export type {DbResource, InDoubtBranch, LockedRow, Stmt} from './resource.js';
export {benchDatabases, type DbBenchRequest, type DbBenchResult} from './bench.js';
