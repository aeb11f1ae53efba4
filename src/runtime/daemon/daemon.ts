import {EventEmitter} from 'node:events';
import {readFileSync} from 'node:fs';
import {homePaths} from '../../config/index.js';
import {DialError, ExitCode} from '../../errors/index.js';
import {RegistryServer} from '../../registry/server/index.js';
import {defaultInstanceSpecs} from '../instance-kinds.js';
import {acquirePidFile, readPid, releasePidFile} from '../pidfile.js';
import {Supervisor} from '../supervisor.js';
import type {DaemonConfig} from './config.js';
import {DAEMON_EXTENSIONS, type DaemonContext} from './extensions.js';

export interface RunningDaemon {
  port: number;
  listeners: DaemonContext['listeners'];
  server: RegistryServer;
  supervisor: Supervisor;
  events: EventEmitter;
  stop(): Promise<void>;
}

/** Starts the registry server and the demo instances; throws DialError when it cannot. */
export async function runDaemon(config: DaemonConfig, log: (line: string) => void): Promise<RunningDaemon> {
  const paths = homePaths(config.home);
  if (!acquirePidFile(paths.pidFile)) {
    throw new DialError('CLUSTER_ALREADY_RUNNING', `a cluster daemon (pid ${readPid(paths.pidFile)}) already runs in ${config.home}`, {
      hint: "use 'dial cluster status', or 'dial cluster down' first",
    });
  }
  const startedAt = new Date().toISOString();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const tlsFiles = config.tls;
  const clientTls = tlsFiles
    ? {ca: readFileSync(tlsFiles.caFile), cert: readFileSync(tlsFiles.certFile), key: readFileSync(tlsFiles.keyFile)}
    : undefined;
  const specs = defaultInstanceSpecs(config.instances, config.demos);
  const started: {supervisor?: Supervisor} = {};
  const aclToken = config.tokenFile ? readFileSync(config.tokenFile, 'utf8').trim() : undefined;
  const server: RegistryServer = new RegistryServer({
    dbPath: paths.stateDb,
    ...(aclToken ? {acl: {token: aclToken, reads: config.tokenReads}} : {}),
    host: config.host,
    port: config.port,
    tls: clientTls ? {key: clientTls.key, cert: clientTls.cert, ca: clientTls.ca, requestCert: true} : undefined,
    health: {
      tls: clientTls,
      onChange: (check, status, output) => {
        log(`check ${check.id} ${check.status} -> ${status}: ${output}`);
        events.emit('health', {checkId: check.id, serviceId: check.serviceId, from: check.status, to: status, output});
      },
      onReap: (id) => {
        log(`deregistered ${id}: critical longer than DeregisterCriticalServiceAfter`);
        events.emit('reaped', {serviceId: id});
      },
    },
    status: (): unknown => {
      const instances = started.supervisor?.list() ?? [];
      const ready: boolean = specs.every((spec) => instances.some((i) => i.id === spec.id && i.state === 'ready') && passing(spec.id));
      return {pid: process.pid, startedAt, home: config.home, ready, instances};
    },
  });
  const passing = (id: string): boolean => {
    const checks = server.store.listChecks(id);
    return checks.length > 0 && checks.every((c) => c.status === 'passing');
  };
  let address;
  try {
    address = await server.listen();
  } catch (e) {
    releasePidFile(paths.pidFile);
    await server.close().catch(() => undefined);
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DialError('PORT_IN_USE', `port ${config.port} on ${config.host} is already in use`, {
        hint: `pick another with 'dial cluster up --port N' (0 = any free port), or stop what listens there`,
        exitCode: ExitCode.Failed,
      });
    }
    throw e;
  }
  const scheme = config.tls ? 'https' : 'http';
  const token = config.tokenFile ? readFileSync(config.tokenFile, 'utf8').trim() : undefined;
  const supervisor = new Supervisor(
    paths.instancesDir,
    {
      DIAL_HOME: config.home,
      DIAL_REGISTRY_URL: `${scheme}://${config.host}:${address.port}`,
      ...(token ? {DIAL_TOKEN: token} : {}),
      ...(tlsFiles ? {DIAL_TLS_CA: tlsFiles.caFile, DIAL_TLS_CERT: tlsFiles.certFile, DIAL_TLS_KEY: tlsFiles.keyFile} : {}),
    },
    (e) => {
      log(`instance ${e.id} ${e.event}${e.detail ? ` (${e.detail})` : ''}`);
      events.emit('instance', e);
    },
  );
  started.supervisor = supervisor;
  for (const spec of specs) supervisor.start(spec);
  const ctx: DaemonContext = {config, paths, server, supervisor, events, log, listeners: {}};
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops) await stop().catch((e: Error) => log(`extension stop failed: ${e.message}`));
    await supervisor.stopAll();
    await server.close();
    releasePidFile(paths.pidFile);
  };
  for (const ext of DAEMON_EXTENSIONS) {
    try {
      const handle = await ext.start(ctx);
      if (handle?.stop) stops.unshift(handle.stop);
    } catch (e) {
      log(`extension ${ext.name} failed to start: ${(e as Error).message}`);
      await stopAll();
      throw e;
    }
    log(`extension ${ext.name} started`);
  }
  return {
    port: address.port,
    listeners: ctx.listeners,
    server,
    supervisor,
    events,
    stop: stopAll,
  };
}
