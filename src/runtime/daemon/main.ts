/**
 * The cluster daemon process: registry API (Consul subset) on a durable
 * store, health checks, and the supervisor of demo instances. Started
 * detached by `dial cluster up` (or in the foreground with --foreground).
 */
import {rmSync, writeFileSync} from 'node:fs';
import {homePaths, removeClusterFile, writeClusterFile, type ClusterInfo} from '../../config/index.js';
import {DAEMON_CONFIG_ENV, type DaemonConfig} from './config.js';
import {runDaemon} from './daemon.js';

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} daemon ${line}\n`);
}

// Everything the daemon and its children create in DIAL_HOME (databases and
// their WAL files, logs, state) is private to the user: files 0600, dirs 0700.
process.umask(0o077);

const raw = process.env[DAEMON_CONFIG_ENV];
if (!raw) {
  process.stderr.write('dial daemon: started without configuration; use `dial cluster up`\n');
  process.exit(2);
}
const config = JSON.parse(raw) as DaemonConfig;
const paths = homePaths(config.home);

runDaemon(config, log)
  .then((d) => {
    const info: ClusterInfo = {
      version: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      home: config.home,
      api: {host: config.host, port: d.port, url: `${config.tls ? 'https' : 'http'}://${config.host}:${d.port}`},
      logFile: paths.logFile,
      stateDb: paths.stateDb,
      instances: config.instances,
      ...(config.tls ? {tls: {caFile: config.tls.caFile, certFile: config.tls.clientCertFile ?? config.tls.certFile, keyFile: config.tls.clientKeyFile ?? config.tls.keyFile}} : {}),
      ...(config.tokenFile ? {tokenFile: config.tokenFile} : {}),
      ...(d.listeners.kafka ? {kafka: {...d.listeners.kafka, bootstrap: `${d.listeners.kafka.host}:${d.listeners.kafka.port}`}} : {}),
    };
    writeClusterFile(info);
    log(`registry API on ${info.api.url}`);
    if (info.kafka) log(`Kafka listener on ${info.kafka.bootstrap}`);
    let stopping = false;
    const stop = async (why: string) => {
      if (stopping) return;
      stopping = true;
      log(`stopping (${why})`);
      await d.stop();
      removeClusterFile(config.home);
      rmSync(paths.pidFile, {force: true});
      log('stopped');
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGHUP', () => void stop('SIGHUP'));
  })
  .catch((e: Error & {code?: string; hint?: string}) => {
    log(`failed to start: ${e.message}`);
    writeFileSync(
      `${paths.home}/daemon.error`,
      JSON.stringify({code: e.code ?? 'DAEMON_START_FAILED', message: e.message, hint: e.hint}) + '\n',
      {mode: 0o600},
    );
    rmSync(paths.pidFile, {force: true});
    process.exit(1);
  });
