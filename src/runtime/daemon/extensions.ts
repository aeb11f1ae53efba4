import type {EventEmitter} from 'node:events';
import type {HomePaths} from '../../config/index.js';
import type {RegistryServer} from '../../registry/server/index.js';
import {instanceControl} from '../instance-control/extension.js';
import type {Supervisor} from '../supervisor.js';
import type {DaemonConfig} from './config.js';

/** What an extension of the daemon gets: its router, store, supervisor and event bus. */
export interface DaemonContext {
  config: DaemonConfig;
  paths: HomePaths;
  /** The registry server; add HTTP routes with server.router.add(...). */
  server: RegistryServer;
  supervisor: Supervisor;
  /** The daemon's in-process event bus (registrations, health changes, instance events, ...). */
  events: EventEmitter;
  log: (line: string) => void;
  /** Other listeners extensions open (e.g. the broker's Kafka listener), written to cluster.json. */
  listeners: {kafka?: {host: string; port: number}};
}

/**
 * A capability that runs inside the daemon (instance control, metrics, the
 * message broker, transaction processes, ...). Started after the registry
 * listens and the instances are spawned; stopped in reverse order.
 */
export interface DaemonExtension {
  name: string;
  start(ctx: DaemonContext): Promise<{stop?: () => Promise<void>} | void>;
}

/**
 * The daemon's extensions, in start order. Each capability adds its own here.
 * Import a heavy implementation inside start() (this file is also loaded by
 * CLI commands, which must stay fast).
 */
export const DAEMON_EXTENSIONS: DaemonExtension[] = [
  instanceControl,
  {name: 'metrics', start: async (ctx) => (await import('../../metrics/daemon-metrics.js')).startDaemonMetrics(ctx)},
  {name: 'broker', start: async (ctx) => (await import('../../broker/extension.js')).startBroker(ctx)},
  {name: 'txn', start: async (ctx) => (await import('../../txn/real/extension.js')).startTxnExtension(ctx)},
];
